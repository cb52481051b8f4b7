package dev.shammah.bench.sidebyside;

import java.util.List;
import java.util.Locale;

/** The two-instance run as markdown: how it was measured, then one table per question. */
final class TwoInstanceReport {
    private final TwoInstanceOptions o;
    private final String load;
    private final String pgVersion;
    private final Wrk.Result direct;
    private final List<TwoInstanceBench.Run> runs;
    private final String rebuild;
    private final String ceiling;

    TwoInstanceReport(TwoInstanceOptions o, String load, String pgVersion, Wrk.Result direct,
                      List<TwoInstanceBench.Run> runs, String rebuild, String ceiling) {
        this.ceiling = ceiling;
        this.o = o;
        this.load = load;
        this.pgVersion = pgVersion;
        this.direct = direct;
        this.runs = runs;
        this.rebuild = rebuild;
    }

    String markdown() {
        StringBuilder s = new StringBuilder();
        s.append("# Two instances sharing a store (scripts/bench two-instance)\n\n");
        s.append(String.format(Locale.ROOT, "Shammah %s, `%s`, %s; load average before the run %s. PostgreSQL: %s.%n%n",
                o.commit().isBlank() ? "" : "(" + o.commit() + ")", o.commandLine(), Report.machine(), load,
                pgVersion.replaceAll(" on .*", "")));
        s.append("""
                Every daemon is the jar, learning on, in front of one fake upstream (nginx answering one fixed \
                message): every request carries a fresh prompt, so it is forwarded, its answer learned and written \
                to the store, and an implicit session stored. Everything — fake, PostgreSQL, nginx, the daemons and \
                the client — shares this machine's cores, so a second instance adds a process competing for them, \
                not capacity. These are the gateway's own costs, magnified by the fake; a real upstream takes \
                seconds.

                """);
        Table latency = new Table("configuration", "direct p50 / p99 (ms)", "through it p50 / p99 (ms)",
                "added p50 / p99 (ms)", "errors");
        Table throughput = new Table("configuration", "req/s (wrk)", "of 1 embedded", "non-2xx", "learned during wrk");
        double base = Double.NaN;
        for (TwoInstanceBench.Run r : runs) {
            if (r.failed != null) {
                latency.row(r.name, "–", "–", "not measured: " + r.failed, "–");
                throughput.row(r.name, "–", "–", "–", "–");
                continue;
            }
            PairedLatency.Result l = r.latency;
            latency.row(r.name, l.direct().p50p99(), l.target().p50p99(), l.target().minus(l.direct()), l.errors()
                    + (l.firstError() == null ? "" : " (" + PairedLatency.abbreviate(l.firstError()) + ")"));
            if (r.throughput != null) {
                if (Double.isNaN(base)) {
                    base = r.throughput.rps();
                }
                throughput.row(r.name, String.format(Locale.ROOT, "%.0f", r.throughput.rps()),
                        String.format(Locale.ROOT, "%.2f", r.throughput.rps() / base), r.throughput.non2xx(),
                        r.learned < 0 ? "– (embedded)" : r.learned + " exchanges");
            }
        }
        s.append("## Added latency (concurrency 1, paired with the direct baseline, whole JSON answers)\n\n");
        s.append(String.format(Locale.ROOT, "%d warm-up pairs per instance (behind the balancer each sees half), then "
                + "%d measured; percentiles at the client.%n%n", o.warmup(), o.pairs()));
        s.append(latency.markdown()).append('\n');
        s.append(String.format(Locale.ROOT, "## Throughput (wrk, %d connections, %d s, fresh prompts)%n%n",
                o.connections(), o.seconds()));
        s.append(direct == null ? "wrk not installed: not measured.\n\n" : String.format(Locale.ROOT,
                "The fake upstream alone: %.0f req/s.%n%n", direct.rps()));
        s.append(throughput.markdown()).append('\n');
        s.append("## Catch-up lag: learned on A, servable on B\n\n");
        s.append("""
                One exchange at a time, 20 ms apart: asked of A directly (forwarded; A learns it off the request's \
                path, writes it to the store and tells the others), then asked of B with `x-shammah-route: local` \
                until B serves it — polled every 0.5 ms on a kept-alive connection; the time is when the poll B \
                served was sent, so a figure is good to about a millisecond. It starts once both learners have \
                finished what wrk left them, and includes A's own learning after its answer went out. B's account of the part that is \
                the store's, from the moment PostgreSQL took the exchange to its being applied on B, comes from B's \
                `shammah_store_catchup_seconds` (over every exchange B applied in the run, wrk's included).

                """);
        Table lag = new Table("interval", "p50 (ms)", "p95 (ms)", "p99 (ms)", "max (ms)", "samples");
        for (TwoInstanceBench.Run r : runs) {
            if (r.answerToB != null) {
                lag.row("answer from A → servable on B (client)", f(r.answerToB, 0.5), f(r.answerToB, 0.95),
                        f(r.answerToB, 0.99), f(r.answerToB, 1), r.answerToB.size());
                s.append(lag.markdown()).append('\n');
                s.append("Stored → applied on B (B's own account): ").append(r.serverLag).append(".\n\n");
            }
        }
        s.append("## Start with a store to catch up with\n\n");
        s.append("A fresh instance rebuilds its local copy from the exchanges table before it listens: ")
                .append(rebuild).append(".\n\n");
        s.append("## Write ceiling\n\n");
        s.append("Writer threads of one in-process instance keeping exchanges as fast as they can, five seconds each, "
                + "nothing else running: every write other instances must see holds the store's one change lock, so this "
                + "is what the whole cluster can learn per second on this machine's PostgreSQL, ").append(ceiling)
                .append(".\n");
        return s.toString();
    }

    private static String f(Samples s, double q) {
        return s.size() == 0 ? "–" : String.format(Locale.ROOT, "%.2f", s.ms(q));
    }
}
