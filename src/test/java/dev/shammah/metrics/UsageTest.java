package dev.shammah.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Usage counters per tenant, model and hour, and their files: kept across a reopen, pruned past keep-days. */
class UsageTest {
    static final Instant T = Instant.parse("2026-12-06T10:15:00Z");

    @TempDir
    Path dir;

    private static Usage usage() {
        return new Usage(3.0, 15.0);
    }

    @Test
    void countsByOutcomeRouteAndHourWithDollarsAtThePrices() {
        Usage u = usage();
        u.record(T, "alice", "m", Usage.Outcome.FORWARDED, null, 1000, 200);
        u.record(T.plusSeconds(60), "alice", "m", Usage.Outcome.LOCAL, "same", 1000, 200);
        u.record(T.plusSeconds(120), "alice", "m", Usage.Outcome.LOCAL, "reworded", 10, 2);
        u.record(T.plusSeconds(150), "alice", "m", Usage.Outcome.LOCAL, "same", 0, 0);
        u.record(T.plusSeconds(160), "alice", "m", Usage.Outcome.LOCAL, "reworded", 0, 0);
        u.record(T.plusSeconds(180), "alice", "m", Usage.Outcome.REFUSED, null, -1, -1);
        u.record(T.plusSeconds(3600), "alice", "m", Usage.Outcome.FORWARDED, null, 1, 1);
        u.record(T, "bob", "m", Usage.Outcome.FORWARDED, null, 1, 1);
        u.record(T, "bob", "m", Usage.Outcome.CHECK, null, 1000, 0);
        Usage.Row bob = u.rows(k -> k.tenant().equals("bob")).get(0);
        assertThat("a check is not a request", bob.requests(), is(1L));
        assertThat(bob.checks(), is(1L));
        assertThat("but its tokens are spend", bob.spentMicros(), is(3L + 15 + 3000));
        List<Usage.Row> alice10 = u.rows(k -> k.tenant().equals("alice") && k.hour().equals(Instant.parse(
                "2026-12-06T10:00:00Z")));
        assertThat(alice10.size(), is(1));
        Usage.Row r = alice10.get(0);
        assertThat(r.requests(), is(6L));
        assertThat(r.forwarded(), is(1L));
        assertThat(r.refused(), is(1L));
        assertThat(r.localTotal(), is(4L));
        assertThat(r.local().get("same"), is(2L));
        assertThat(r.local().get("reworded"), is(2L));
        assertThat(r.teacherInputTokens(), is(1000L));
        assertThat(r.savedOutputTokens(), is(202L));
        // 1,000 input at $3/Mtok and 200 output at $15/Mtok: $0.006.
        assertThat(r.spentMicros(), is(6000L));
        assertThat(r.savedMicros(), is(6000L + 60));
        assertThat(u.rows(k -> true).size(), is(3));
        assertThat(Usage.total(u.rows(k -> true)).requests(), is(8L));
    }

    @Test
    void rowsSurviveAReopenAndOldDaysAreDropped() throws Exception {
        Clock clock = Clock.fixed(T, ZoneOffset.UTC);
        Usage u = usage();
        try (UsageFiles f = UsageFiles.open(u, dir, clock, 2)) {
            u.record(T, "alice", "m", Usage.Outcome.FORWARDED, null, 1000, 200);
            u.record(T.minusSeconds(86_400), "alice", "m", Usage.Outcome.LOCAL, "same", 5, 5);
            u.record(T.minusSeconds(3 * 86_400), "alice", "m", Usage.Outcome.LOCAL, "same", 5, 5);
            f.flush();
        }
        assertThat(Files.exists(dir.resolve("usage/2026-12-06.json")), is(true));
        assertThat(Files.exists(dir.resolve("usage/2026-12-05.json")), is(true));
        assertThat("older than usage.keep-days", Files.exists(dir.resolve("usage/2026-12-03.json")), is(false));
        Usage again = usage();
        try (UsageFiles f = UsageFiles.open(again, dir, clock, 2)) {
            List<Usage.Row> rows = again.rows(k -> true);
            assertThat(rows.size(), is(2));
            assertThat(rows.get(1).spentMicros(), is(6000L));
            assertThat(rows.get(0).local().get("same"), is(1L));
            assertThat("the spend budgets read is the kept days'", again.spentMicros("alice", Instant.EPOCH),
                    is(6000L));
        }
        // A day later with keep-days 1, yesterday's file goes at start.
        try (UsageFiles f = UsageFiles.open(usage(), dir, Clock.fixed(T.plusSeconds(86_400), ZoneOffset.UTC), 1)) {
            assertThat(Files.exists(dir.resolve("usage/2026-12-05.json")), is(false));
            assertThat(Files.exists(dir.resolve("usage/2026-12-06.json")), is(false));
        }
    }

    /** What a kill -9 leaves: the files as the once-a-second flush wrote them, with no close to write the rest. */
    @Test
    void theFlushEverySecondKeepsCountsWithoutAClose() throws Exception {
        Usage u = usage();
        UsageFiles f = UsageFiles.open(u, dir, Clock.systemUTC(), 30);
        try {
            u.record(Instant.now(), "alice", "m", Usage.Outcome.FORWARDED, null, 1000, 200);
            Usage seen = usage();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (seen.rows(k -> true).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                seen = usage();
                UsageFiles.read(seen, dir, Clock.systemUTC(), 30);
            }
            assertThat("read back from the files alone", Usage.total(seen.rows(k -> true)).spentMicros(), is(6000L));
        } finally {
            f.close();
        }
    }

    @Test
    void anUnreadableDayIsSetAsideNotFatal() throws Exception {
        Files.createDirectories(dir.resolve("usage"));
        Files.writeString(dir.resolve("usage/2026-12-06.json"), "{not json");
        Usage u = usage();
        try (UsageFiles f = UsageFiles.open(u, dir, Clock.fixed(T, ZoneOffset.UTC), 30)) {
            assertThat(u.rows(k -> true).size(), is(0));
        }
        assertThat(Files.exists(dir.resolve("usage/2026-12-06.json.unreadable")), is(true));
    }

    /**
     * With other instances: their rows are added to this one's under the same key, their spend counts against a
     * budget, and when they cannot be read the report holds this instance's rows and says why.
     */
    @Test
    void otherInstancesAddUpAndAnUnreadableStoreMakesTheReportPartial() {
        Usage u = usage();
        u.record(T, "alice", "m", Usage.Outcome.FORWARDED, null, 1000, 200);
        Usage.Key key = new Usage.Key(T.truncatedTo(java.time.temporal.ChronoUnit.HOURS), "alice", "m");
        Usage.Row theirs = new Usage.Row(key, 2, java.util.Map.of("same", 2L), 0, 0, 0, 0, 0, 10, 10, 0, 5);
        u.shareWith(new UsageElsewhere() {
            @Override
            public List<Usage.Row> rows(Usage.Filter filter) {
                return List.of(theirs);
            }

            @Override
            public long spentMicros(String tenant, Instant since) {
                return tenant.equals("alice") ? 1_000_000 : 0;
            }
        });
        Usage.Everywhere all = u.everywhere(Usage.Filter.ALL);
        assertThat(all.problem(), is((String) null));
        assertThat("one row per key", all.rows().size(), is(1));
        assertThat(all.rows().get(0).requests(), is(3L));
        assertThat(all.rows().get(0).localTotal(), is(2L));
        assertThat(u.spentMicros("alice", T.truncatedTo(java.time.temporal.ChronoUnit.DAYS)),
                is(1_000_000L + 3000 + 3000));

        u.shareWith(new UsageElsewhere() {
            @Override
            public List<Usage.Row> rows(Usage.Filter filter) {
                throw new IllegalStateException("connection refused");
            }

            @Override
            public long spentMicros(String tenant, Instant since) {
                return 0;
            }
        });
        jakarta.json.JsonObject report = UsageReport.of(u, null, null, null, null, null);
        assertThat(report.getJsonObject("totals").getInt("requests"), is(1));
        assertThat(report.getString("partial"), is("the other instances' usage could not be read: connection refused"));
    }
}
