-- Shammah's shared store (store.kind: postgres): what several instances learn, the evidence about it, their
-- conversations and the instances themselves. docs/SCALING.md explains each table.
--
-- Every change other instances must apply (an exchange learned or forgotten, a count, a blocked shape, an agreement
-- score) takes a number from change_seq while its transaction holds the "changes" advisory lock (Changes.java), so
-- numbers become visible in the order they were taken: an instance that has seen number N has seen everything
-- below it, and follows the store by asking for what is above the highest number it has seen.
create sequence change_seq;

create table store_info (
    singleton  int primary key default 1 check (singleton = 1),
    store_id   uuid not null default gen_random_uuid(),
    created_at timestamptz not null default now()
);
insert into store_info default values;

-- The teacher's answers. The lookup keys are hashes of the prompt's canonical form; the prompt itself is kept only
-- with log.store-text.
create table exchanges (
    id            text primary key,
    seq           bigint not null unique default nextval('change_seq'),
    tenant        text not null,
    context_key   text not null,
    prompt        text,
    answer        text not null,
    stop_reason   text not null,
    model         text not null,
    output_tokens bigint not null,
    created_at    timestamptz not null,
    stored_at     timestamptz not null default clock_timestamp(),
    prefixes      text[] not null,
    suffixes      text[] not null,
    scope_key     text not null,
    shape_key     text not null,
    core_key      text not null,
    span_keys     text[] not null
);
create index exchanges_by_tenant on exchanges (tenant, seq);

-- Comparisons with the teacher, per tenant and subject ('kind:<edit>', 'exchange:<id>', 'stability'), counted by
-- increments so that two instances never lose each other's counts.
create table evidence (
    tenant  text not null,
    subject text not null,
    passes  bigint not null default 0,
    fails   bigint not null default 0,
    seq     bigint not null unique default nextval('change_seq'),
    primary key (tenant, subject)
);

-- Request shapes whose stored answer proved wrong: never answered locally again, by any instance.
create table blocked_shapes (
    tenant text not null,
    shape  text not null,
    seq    bigint not null unique default nextval('change_seq'),
    primary key (tenant, shape)
);

-- How closely the teacher's answers to the same request agree (the newest few hundred per tenant are kept).
create table agreement (
    seq      bigint primary key default nextval('change_seq'),
    tenant   text not null,
    instance text not null,
    score    double precision not null
);
create index agreement_by_tenant on agreement (tenant, seq);

-- What was forgotten (DELETE /admin/tenants/...): a whole tenant (exchange_id null) or one exchange. Instances
-- following the store delete the same from their own copies.
create table forgotten (
    seq         bigint primary key default nextval('change_seq'),
    tenant      text not null,
    exchange_id text,
    at          timestamptz not null default now()
);

-- Running instances: a heartbeat every few seconds. A turn held by an instance whose heartbeat stopped is free.
create table instances (
    id           text primary key,
    started_at   timestamptz not null default now(),
    heartbeat_at timestamptz not null default now(),
    description  text not null
);

-- Conversations (session_id). A turn holds its session (turn_holder) from reading the history to recording the
-- answer; a client-named session whose first turn is in flight is pending (not yet visible).
create table sessions (
    owner         text not null,
    id            text not null,
    client        text not null,
    created_at    timestamptz not null,
    last_activity timestamptz not null,
    messages      jsonb not null default '[]'::jsonb,
    bytes         bigint not null default 0,
    turns         int not null default 0,
    input_tokens  bigint not null default 0,
    output_tokens bigint not null default 0,
    named         boolean not null,
    pending       boolean not null default false,
    turn_holder   text,
    turn_instance text,
    turn_expires  timestamptz,
    primary key (owner, id)
);
create index sessions_by_activity on sessions (last_activity);
create index sessions_by_client on sessions (client, last_activity);

-- Sessions that expired or were evicted, so a client coming back gets 404 "expired", not an empty conversation.
create table sessions_gone (
    owner text not null,
    id    text not null,
    at    timestamptz not null,
    primary key (owner, id)
);
create index sessions_gone_by_time on sessions_gone (at);
