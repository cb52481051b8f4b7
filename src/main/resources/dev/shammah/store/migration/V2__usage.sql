-- Usage (GET /admin/usage, budgets) per instance, tenant, model and hour. An instance is its data dir's node id,
-- the same across restarts; each writes its own rows whole (the counts its data dir keeps), so a write repeated
-- after a failure never counts twice, and a report adds the instances' rows up. Rows older than usage.keep-days
-- are deleted by whichever instance sees them.
create table usage_hours (
    node                  text not null,
    hour                  timestamptz not null,
    tenant                text not null,
    model                 text not null,
    requests              bigint not null,
    local_by_route        jsonb not null,
    forwarded             bigint not null,
    refused               bigint not null,
    checks                bigint not null,
    teacher_input_tokens  bigint not null,
    teacher_output_tokens bigint not null,
    saved_input_tokens    bigint not null,
    saved_output_tokens   bigint not null,
    spent_micros          bigint not null,
    saved_micros          bigint not null,
    written_at            timestamptz not null default now(),
    primary key (node, hour, tenant, model)
);
create index usage_hours_by_hour on usage_hours (hour);
