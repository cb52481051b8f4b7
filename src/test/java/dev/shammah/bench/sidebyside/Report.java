package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The run's tables and method, in markdown: printed to stdout and written to a file. */
final class Report {
    private final Options o;
    private final TargetRun direct;
    private final List<TargetRun> targets;
    private final Map<String, String> versions;
    private final String loadAtStart;

    Report(Options o, TargetRun direct, List<TargetRun> targets, Map<String, String> versions, String loadAtStart) {
        this.o = o;
        this.loadAtStart = loadAtStart;
        this.direct = direct;
        this.targets = targets;
        this.versions = versions;
    }

    String markdown() {
        StringBuilder s = new StringBuilder();
        s.append("# Side by side: Shammah and other gateways in front of one fake upstream\n\n");
        // Other work on the machine shows in every figure: the load average before the run says how busy it was.
        s.append(String.format(Locale.ROOT, "One run of `%s`, %s, on %s; load average before the run: %s.%n%n",
                o.commandLine(),
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
                machine(), loadAtStart));
        s.append("**The upstream is a fake**: nginx answering every `POST /v1/messages` at once with one fixed message "
                + "(or one fixed event stream). These figures are what each gateway *adds* on this machine, not what "
                + "anyone would see in front of Claude, whose own latency is hundreds of milliseconds and more.\n\n");
        latency(s);
        clients(s);
        streaming(s);
        throughput(s);
        memory(s);
        notMeasured(s);
        versions(s);
        method(s);
        return s.toString();
    }

    private void latency(StringBuilder s) {
        s.append(String.format(Locale.ROOT, "## Added latency at concurrency 1 (JSON)%n%n%d pairs per target after %d "
                + "warm-up pairs, each request a fresh prompt — except for the local-path targets (nginx-cache, "
                + "shammah-local*), which ask %d stored prompts in turn and must answer every measured one from "
                + "their cache (`x-cache: HIT`) or memory (`x-shammah-route: local`) — interleaved with the direct "
                + "baseline on its own connection. Milliseconds at the client; *added* = target − direct at the same "
                + "percentile, same block.%n%n", o.pairs(), o.warmup(), Prompts.STORED));
        Table t = new Table("target", "ok pairs", "errors", "direct p50 / p99", "target p50 / p99", "added p50 / p99",
                "x-shammah-overhead-ms p50 / p99", "x-shammah-route");
        for (TargetRun r : measured()) {
            if (r.json != null) {
                PairedLatency.Result j = r.json;
                t.row(r.name, Math.min(j.direct().size(), j.target().size()), j.errors(), j.direct().p50p99(),
                        j.target().p50p99(), j.target().minus(j.direct()), j.overheadHeader().p50p99(),
                        routes(j.routes()));
            }
        }
        s.append(t.markdown()).append('\n');
        for (TargetRun r : measured()) {
            if (r.storeFilled >= 0) {
                s.append(String.format(Locale.ROOT, "%s was measured after learning %d fresh prompts of %d tenants: "
                        + "its memory held %d exchanges (its /metrics).%n%n", r.name, ShammahPeer.LARGE_STORE,
                        StoreFill.TENANTS, r.storeFilled));
            }
        }
        problems(s, measured().stream().filter(r -> r.json != null && r.json.firstError() != null)
                .map(r -> r.name + ": " + r.json.firstError()).toList());
    }

    /** The forwarding targets' JSON block from the two clients: what one sees and the other does not. */
    private void clients(StringBuilder s) {
        if (measured().stream().noneMatch(r -> r.python != null)) {
            return;
        }
        String python = measured().stream().filter(r -> r.python != null).map(r -> r.python.python()).findFirst()
                .orElse("?");
        s.append(String.format(Locale.ROOT, "## The same, from a Python client%n%nThe JSON block again for the targets "
                + "that forward, right after it on the same process: `scripts/lib/paired-latency.py` (Python %s's "
                + "`http.client`, %d pairs after %d warm-up pairs, paired and fresh as above), beside the Java "
                + "client's figures. Milliseconds.%n%n", python, o.pairs(), o.warmup()));
        Table t = new Table("target", "Java client: added p50 / p99", "Python client: ok pairs", "errors",
                "direct p50 / p99", "target p50 / p99", "added p50 / p99");
        for (TargetRun r : measured()) {
            if (r.python != null) {
                PythonLatency.Result py = r.python;
                t.row(r.name, r.json == null ? "–" : r.json.target().minus(r.json.direct()),
                        Math.min(py.direct().size(), py.target().size()), py.errors(), py.direct().p50p99(),
                        py.target().p50p99(), py.target().minus(py.direct()));
            } else if (r.pythonSkipped != null) {
                t.row(r.name, "–", "–", "–", "–", "not measured: " + PairedLatency.abbreviate(r.pythonSkipped), "–");
            }
        }
        s.append(t.markdown()).append('\n');
        problems(s, measured().stream().filter(r -> r.python != null && r.python.firstError() != null)
                .map(r -> r.name + ": " + r.python.firstError()).toList());
    }

    private void streaming(StringBuilder s) {
        s.append("## Streaming: time to first event at concurrency 1\n\n`\"stream\": true`; time from writing the "
                + "request to reading the first `event:` line (an OpenAI stream's first `data:` line), and to its "
                + "last byte, interleaved with the direct baseline (the fake's event stream) as above. "
                + "Milliseconds.\n\n");
        Table t = new Table("target", "ok pairs", "errors", "direct p50 / p99", "target p50 / p99", "added p50 / p99",
                "to last byte, added p50 / p99");
        for (TargetRun r : measured()) {
            if (r.stream != null) {
                PairedLatency.Result j = r.stream;
                t.row(r.name, Math.min(j.direct().size(), j.target().size()), j.errors(), j.direct().p50p99(),
                        j.target().p50p99(), j.target().minus(j.direct()), j.targetWhole().minus(j.directWhole()));
            } else if (r.streamSkipped != null) {
                t.row(r.name, "–", "–", "–", "not measured: " + PairedLatency.abbreviate(r.streamSkipped), "–", "–");
            }
        }
        s.append(t.markdown()).append('\n');
        problems(s, measured().stream().filter(r -> r.stream != null && r.stream.firstError() != null)
                .map(r -> r.name + ": " + r.stream.firstError()).toList());
    }

    private void throughput(StringBuilder s) {
        s.append(String.format(Locale.ROOT, "## Throughput%n%nThe median of %d runs of `wrk -t2 -c%d -d%ds` one after "
                + "another, a fresh prompt per request (the local-path targets: the stored prompts in turn), on the same "
                + "cores as the target and the fake, after an unmeasured run of %d s; every run's req/s in the last "
                + "column.%n%n", o.throughputRounds(), o.connections(), o.seconds(), o.warmupSeconds()));
        TargetRun off = targets.stream().filter(r -> r.name.equals("shammah-off") && r.throughput != null).findFirst()
                .orElse(null);
        Table t = new Table("target", "req/s", "requests", "non-2xx", "socket errors", "÷ shammah-off", "÷ direct",
                "runs (req/s)");
        for (TargetRun r : withDirect()) {
            if (r.throughput != null) {
                Wrk.Result w = r.throughput;
                t.row(r.name, String.format(Locale.ROOT, "%.0f", w.rps()), w.requests(), w.non2xx(), w.socketErrors(),
                        ratio(w, off), ratio(w, direct), r.throughputRounds.stream()
                                .map(x -> String.format(Locale.ROOT, "%.0f", x)).collect(Collectors.joining(", ")));
            } else if (r.throughputSkipped != null) {
                t.row(r.name, "–", "–", "–", "not measured: " + r.throughputSkipped, "–", "–", "–");
            }
        }
        s.append(t.markdown()).append('\n');
        cpu(s);
        for (TargetRun r : targets) {
            if (r.watched != null) {
                s.append(String.format(Locale.ROOT, "%s was measured while its page was watched: every %d s the "
                        + "requests of one refresh of /dashboard (the page itself refreshes every 5 s); during the "
                        + "latency block and the throughput run: %s.%n%n", r.name, PageWatcher.INTERVAL.toSeconds(),
                        r.watched));
            }
            if (r.learned != null) {
                long seen = r.learned.stored() + r.learned.dropped();
                s.append(String.format(Locale.ROOT, "%s learned from what it forwarded (its /metrics, after the latency "
                        + "block and the throughput run): %d exchanges stored, %d answers dropped from the full "
                        + "learning queue (%.1f%% learned).%n%n", r.name, r.learned.stored(), r.learned.dropped(),
                        seen == 0 ? 0.0 : 100.0 * r.learned.stored() / seen));
            }
        }
    }

    /** The JVM targets' CPU over their measured throughput runs, by kind of thread ({@link ThreadCpu}). */
    private void cpu(StringBuilder s) {
        Table t = new Table("target", "CPU (cores)", "JIT compiler", "garbage collector", "learning", "serving",
                "serving CPU per request (µs)");
        for (TargetRun r : targets) {
            ThreadCpu.Result c = r.throughputCpu;
            if (c != null && r.throughput != null) {
                t.row(r.name, String.format(Locale.ROOT, "%.2f", c.cores()), percent(c.share(ThreadCpu.Part.COMPILER)),
                        percent(c.share(ThreadCpu.Part.COLLECTOR)), percent(c.share(ThreadCpu.Part.LEARNING)),
                        percent(c.servingShare()), String.format(Locale.ROOT, "%.0f",
                                1e6 * c.servingShare() * c.cpuSeconds() / Math.max(1, r.throughputRequests)));
            }
        }
        if (t.isEmpty()) {
            return;
        }
        s.append(String.format(Locale.ROOT, "Where each JVM target's CPU went over its measured runs, from its threads' "
                + "CPU time in /proc (sampled every %d ms; a thread that began and ended between two samples counts as "
                + "serving): the JIT's compiler threads, the garbage collector's, learning's (the learning workers, the "
                + "memory's commits, Lucene's merges) and the rest, serving, also given per request answered in those "
                + "runs. A compiler still busy here means the warm-up was too short for that target's code.%n%n",
                ThreadCpu.SAMPLE_MILLIS));
        s.append(t.markdown()).append('\n');
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    private void memory(StringBuilder s) {
        s.append("## Memory\n\nAfter each target's throughput run. RSS: VmRSS summed over the process tree (MB = "
                + "2^20 bytes). Heap: bytes of live objects from `jcmd PID GC.class_histogram` (a full collection, counted in the same pause), Shammah only; "
                + "JVMs ran with default heap settings.\n\n");
        Table t = new Table("target", "RSS MB", "processes", "heap after GC MB");
        for (TargetRun r : withDirect()) {
            if (r.rssBytes >= 0) {
                t.row(r.name, Memory.mb(r.rssBytes), r.processes, r.heapBytes >= 0 ? Memory.mb(r.heapBytes) : "–");
            }
        }
        s.append(t.markdown()).append('\n');
        for (TargetRun r : targets) {
            if (r.sustain != null) {
                Sustain.Result u = r.sustain;
                s.append(String.format(Locale.ROOT, "**%s sustained** under `wrk -c%d`, every other request one of "
                        + "%d stored prompts (local once learned), the rest fresh (forwarded) (%.0f req/s, %d non-2xx), "
                        + "for %d s of warm-up and then %d s measured. Heap after GC over the measured window: first %s "
                        + "MB, last %s MB, max %s MB, change **%s**, farthest from the first **%s**, from the window's "
                        + "mean **%s** (all %d samples from "
                        + "the load's start, the window's from the %s: %s); RSS %s → %s MB. Its memory went from %d to %d "
                        + "exchanges over the window (%d learned): **%s bytes of heap per exchange learned**; learned "
                        + "state outside the heap %s → %s MB (%s bytes per exchange learned).%n%n", r.name,
                        Sustain.CONNECTIONS, Prompts.STORED, u.load().rps(), u.load().non2xx(), u.warmupSeconds(),
                        u.seconds(), Memory.mb(u.first()), Memory.mb(u.last()), Memory.mb(u.max()), u.change(),
                        u.widest(), u.widestFromMean(), u.heap().size(), ordinal(u.window() + 1),
                        u.heap().stream().map(Memory::mb).collect(Collectors.joining(", ")),
                        Memory.mb(u.rss().get(u.window())), Memory.mb(u.rss().getLast()), u.exchanges().get(u.window()),
                        u.exchanges().getLast(), u.learned(), u.bytesPerExchange(),
                        Memory.mb(u.offHeap().get(u.window())), Memory.mb(u.offHeap().getLast()),
                        u.offHeapBytesPerExchange()));
            }
        }
    }

    private static String ordinal(int n) {
        String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    private void notMeasured(StringBuilder s) {
        List<TargetRun> skipped = targets.stream().filter(r -> r.skipped != null).toList();
        if (skipped.isEmpty()) {
            return;
        }
        s.append("## Not measured\n\n");
        skipped.forEach(r -> s.append("- **").append(r.name).append("**: ").append(r.skipped).append('\n'));
        s.append('\n');
    }

    private void versions(StringBuilder s) {
        s.append("## Versions\n\n");
        Table t = new Table("component", "version");
        versions.forEach(t::row);
        s.append(t.markdown()).append('\n');
    }

    private void method(StringBuilder s) {
        s.append("## Method\n\n");
        s.append(String.format(Locale.ROOT, """
                Everything ran on this one machine at once — the fake upstream, the target, the measuring client (a \
                JVM) and wrk share its %d cores, so each figure includes that contention, for every target alike. \
                The fake is nginx (one worker) returning a fixed, valid Anthropic message on one port and a fixed, \
                valid event stream (message_start … message_stop, `text/event-stream`, sent whole with a \
                content-length) on another; it does no work per request. *direct* is the client calling the fake \
                itself. The targets ran one at a time, alone: each was started pointed at the JSON port for the \
                latency block, its throughput run and the memory reading, stopped, then started again pointed at the \
                event-stream port for the streaming block (a fresh process per phase, rather than a second set left \
                running, so that no idle gateway shares the cores during a measurement). Each peer must first answer \
                one request exactly as the fake does, or it is not measured.
                
                Latency and time to first event come from a small Java client on plain sockets (HTTP/1.1 keep-alive, \
                content-length, chunked or close-delimited bodies, one write per request): one connection to the fake \
                and one to the target, used in turn request by request, which side goes first alternating; %d warm-up \
                pairs are not counted (a gateway serves for days: the warm-up lets Shammah's JIT and the node \
                peers' V8 compile their hot paths, as in any server that has been up a few seconds). Every request carries a new prompt (a counter and random words), so no \
                answer can come from a cache or from what Shammah learned; `x-shammah-route` counts confirm it. A \
                latency runs from the first byte written to the last byte read; a time to first event ends when the \
                first `event:` field name has been read. *Added* is a difference of percentiles from the same block \
                (not a percentile of differences); `x-shammah-overhead-ms` is Shammah's own measure (its time minus \
                the upstream's), given as a second opinion. Throughput is the median of %d runs of `wrk -t2 -c%d -d%ds` \
                with a Lua script that makes each prompt new and sets each peer's headers (one run of one target could \
                differ from the next by 40%% on this machine); non-2xx are wrk's "Non-2xx or 3xx responses".
                
                Peers as configured: *nginx* — `proxy_pass` with HTTP/1.1 keep-alive upstream, \
                `proxy_buffering off`, `worker_processes auto`; *shammah-off/on* — `java -jar target/shammah.jar \
                daemon`, shipped defaults (request log and audit log on), learning off/on, its own fresh data dir and \
                HOME; *portkey* — `start-server.js --headless` (it listens on every address: it has no host option), told per request `x-portkey-provider: anthropic` and \
                `x-portkey-custom-host` (its stream handler waits 25 ms before passing on the first chunk — \
                `readStream` in `src/handlers/streamHandler.ts` — which its time to first event includes), installed with `@hono/node-server` pinned to 1.13.5 (the version in \
                Portkey's own lockfile: a plain install resolves 1.19.x, with which Portkey answers every stream with \
                500 "TypeError: immutable", Portkey-AI/gateway#1389/#1550); *ccr* — `ccr start`, one provider (the \
                fake) behind the `Anthropic` transformer, `LOG: false` (its default is debug logging, which would \
                slow it). Memory is read after each throughput run; with `--sustain-seconds` shammah-on also runs \
                under `wrk -c8`, half stored prompts and half fresh, for `--sustain-warmup-seconds` and then \
                `--sustain-seconds` more without a break, while its heap after GC, its memory's exchanges and the \
                learned state it keeps outside the heap are sampled every 30 s; the heap's change is taken over the \
                measured window.
                """, Runtime.getRuntime().availableProcessors(), o.warmup(), o.throughputRounds(), o.connections(),
                o.seconds()));
    }

    private List<TargetRun> measured() {
        return targets.stream().filter(r -> r.skipped == null).toList();
    }

    private List<TargetRun> withDirect() {
        List<TargetRun> all = new java.util.ArrayList<>();
        all.add(direct);
        all.addAll(measured());
        return all;
    }

    private static String ratio(Wrk.Result w, TargetRun base) {
        if (base == null || base.throughput == null || base.throughput.rps() <= 0) {
            return "–";
        }
        double r = w.rps() / base.throughput.rps();
        // Two decimals hide a small ratio entirely (0.004 would read 0.00): keep two significant digits there.
        return String.format(Locale.ROOT, r < 0.1 ? "%.2g" : "%.2f", r);
    }

    private static String routes(Map<String, Integer> routes) {
        return routes.isEmpty() ? "–" : routes.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static void problems(StringBuilder s, List<String> lines) {
        if (!lines.isEmpty()) {
            s.append("First error per target: ");
            s.append(String.join("; ", lines)).append("\n\n");
        }
    }

    static String machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            // not Linux: leave the model unknown
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), Linux "
                + System.getProperty("os.version");
    }

    /** The 1, 5 and 15 min load averages now, or "?". */
    static String loadAverage() {
        try {
            return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException | IndexOutOfBoundsException e) {
            return "?";
        }
    }
}
