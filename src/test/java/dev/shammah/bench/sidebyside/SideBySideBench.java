package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Comparator;

/**
 * {@code scripts/bench side-by-side}: Shammah next to nginx, Portkey's gateway and claude-code-router, all in front
 * of the same fake upstream, in one run on this machine: added latency and time to first event at concurrency 1
 * (paired with the direct baseline), throughput with wrk, memory. The script installs the peers and passes their
 * paths; a peer that is missing or does not answer correctly is reported as not measured and the rest still run.
 */
public final class SideBySideBench {
    private final Options o;
    private final Children children;
    private final Map<String, String> libEnv;
    private final Prompts prompts = new Prompts();
    private FakeUpstream fake;
    /** Why the Python client cannot run here; null when it can. */
    private final String pythonMissing = PythonLatency.unavailable();
    private Wrk wrk;

    private SideBySideBench(Options o, Children children) {
        this.o = o;
        this.children = children;
        this.libEnv = o.libPath().isBlank() ? Map.of() : Map.of("LD_LIBRARY_PATH", o.libPath());
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o.nginx() == null) {
            System.err.println("bench: side-by-side needs nginx for the fake upstream, and none could be installed "
                    + "(see " + o.notes() + ")");
            System.exit(1);
        }
        BenchRun.publish(o.work(), o.markdown(), children -> new SideBySideBench(o, children).run());
        System.exit(0);
    }

    private String run() throws Exception {
        String loadAtStart = Report.loadAverage();
        fake = FakeUpstream.start(children, o.nginx(), libEnv, o.work().resolve("fake"));
        wrk = o.wrk() == null ? null : new Wrk(o.wrk(), libEnv);
        Map<String, String> notes = installNotes();
        Map<String, String> versions = versions();

        TargetRun direct = new TargetRun("direct", "fake upstream");
        progress("direct: throughput");
        throughput(direct, PairedLatency.Endpoint.of(fake.jsonPort(), Map.of()));
        direct.rssBytes = Memory.rssBytes(fake.process().pid());
        direct.processes = Memory.processCount(fake.process().pid());

        List<TargetRun> runs = new ArrayList<>();
        for (String name : o.targets()) {
            Peer peer = peer(name, versions);
            TargetRun r = new TargetRun(name, peer == null ? "" : peer.version());
            runs.add(r);
            if (peer == null) {
                r.skipped = notes.getOrDefault(name, "not installed");
                progress(name + ": not measured: " + r.skipped);
                continue;
            }
            try {
                measure(peer, r);
            } catch (IOException | RuntimeException e) {
                // One peer's failure must not cost the others their figures.
                String why = "failed: " + e;
                progress(name + ": " + why);
                if (r.json == null) {
                    r.skipped = why;
                } else if (r.stream == null) {
                    r.streamSkipped = why;
                }
            }
        }
        return new Report(o, direct, runs, versions, loadAtStart).markdown();
    }

    /** One target: JSON phase (latency, throughput, memory, sustain), then a fresh process for the streaming phase. */
    private void measure(Peer peer, TargetRun r) throws Exception {
        Path dir = o.work().resolve(peer.name());
        progress(peer.name() + ": starting (JSON upstream)");
        Prompts asked = peer.repeats() ? new Prompts(Prompts.STORED) : prompts;
        try (RunningPeer p = RunningPeer.start(peer, fake.jsonPort(), false, dir.resolve("json"), children);
             PageWatcher watcher = watched(peer, p)) {
            if (peer.storeSize() > 0) {
                progress(peer.name() + ": learning " + peer.storeSize() + " exchanges of " + StoreFill.TENANTS
                        + " tenants");
                r.storeFilled = StoreFill.run(p.endpoint().port(), peer.storeSize());
            }
            progress(peer.name() + ": added latency, " + o.pairs() + " pairs");
            r.json = PairedLatency.run(directEndpoint(fake.jsonPort()), target(peer, p), asked, false, o.warmup(),
                    o.pairs());
            python(peer, p, r);
            progress(peer.name() + ": throughput");
            throughput(r, p.endpoint(), peer.repeats(), peer.jvm() ? p.pid() : -1);
            if (peer.name().equals("shammah-on")) {
                r.learned = LearningCounts.read(p.endpoint().port());
            }
            if (watcher != null) {
                r.watched = watcher.summary();
            }
            r.rssBytes = Memory.rssBytes(p.pid());
            r.processes = Memory.processCount(p.pid());
            if (peer.jvm()) {
                r.heapBytes = Memory.heapAfterGc(p.pid());
            }
            if (o.sustainSeconds() > 0 && peer.name().equals("shammah-on") && wrk != null) {
                progress(peer.name() + ": sustained load for " + o.sustainWarmupSeconds() + " s, then "
                        + o.sustainSeconds() + " s measured");
                r.sustain = Sustain.run(p.pid(), wrk, p.endpoint().port(),
                        Wrk.script(o.work(), peer.name() + "-sustain", p.endpoint().headers(), "/v1/messages",
                                Prompts.STORED, true), o.sustainWarmupSeconds(), o.sustainSeconds());
            }
        } catch (RunningPeer.Failed e) {
            r.skipped = e.getMessage();
            progress(peer.name() + ": not measured: " + e.getMessage());
            return;
        }
        if (peer.storeSize() > 0) {
            // The store's size is shown by the JSON block; a second fill for the stream would say nothing new.
            r.streamSkipped = "JSON only (the store's size is measured there)";
            return;
        }
        progress(peer.name() + ": starting (event-stream upstream)");
        try (RunningPeer p = RunningPeer.start(peer, fake.ssePort(), true, dir.resolve("sse"), children);
             PageWatcher watcher = watched(peer, p)) {
            progress(peer.name() + ": time to first event, " + o.pairs() + " pairs");
            r.stream = PairedLatency.run(directEndpoint(fake.ssePort()), target(peer, p), asked, true, o.warmup(),
                    o.pairs());
        } catch (RunningPeer.Failed e) {
            r.streamSkipped = e.getMessage();
            progress(peer.name() + ": streaming not measured: " + e.getMessage());
        }
    }

    /** The JSON block again from a Python client, for targets that forward (the local-path ones ask stored prompts). */
    private void python(Peer peer, RunningPeer p, TargetRun r) throws InterruptedException {
        if (peer.repeats()) {
            return;
        }
        if (pythonMissing != null) {
            r.pythonSkipped = pythonMissing;
            return;
        }
        progress(peer.name() + ": added latency, Python client, " + o.pairs() + " pairs");
        try {
            r.python = PythonLatency.run(directEndpoint(fake.jsonPort()), p.endpoint(), o.warmup(), o.pairs());
        } catch (java.io.IOException e) {
            r.pythonSkipped = e.getMessage();
        }
    }

    /** Where a peer is measured, with the header its measured answers must carry (local-path targets). */
    private static PairedLatency.Endpoint target(Peer peer, RunningPeer p) {
        String[] e = peer.expected();
        return e == null ? p.endpoint() : p.endpoint().expecting(e[0], e[1]);
    }

    /** Someone watching the page while {@code shammah-on-watched} is measured; null for every other target. */
    private static PageWatcher watched(Peer peer, RunningPeer p) {
        return peer.name().equals("shammah-on-watched") ? new PageWatcher(p.endpoint().port()) : null;
    }

    private void throughput(TargetRun r, PairedLatency.Endpoint e) throws Exception {
        throughput(r, e, false, -1);
    }

    /**
     * {@code repeats}: wrk asks the stored prompts in turn (the local path), else fresh ones; {@code jvm}: the
     * target's pid when it is a JVM, whose CPU during the measured runs is sorted by thread ({@link ThreadCpu}).
     */
    private void throughput(TargetRun r, PairedLatency.Endpoint e, boolean repeats, long jvm) throws Exception {
        int port = e.port();
        if (wrk == null) {
            r.throughputSkipped = "wrk not installed";
            return;
        }
        java.nio.file.Path script = Wrk.script(o.work(), r.name, e.headers(), e.path(), repeats ? Prompts.STORED : 0);
        // An unmeasured run first (--warmup-seconds, a minute by default): the latency block's requests come one at a
        // time, too few for a JVM's compiler to have finished with the paths that concurrency takes, and on 2 cores
        // under a flood it needs most of a minute more (the report's CPU table shows what it still took).
        wrk.run(port, script, o.connections(), o.warmupSeconds());
        List<Wrk.Result> rounds = new ArrayList<>();
        ThreadCpu cpu = jvm > 0 ? ThreadCpu.start(jvm) : null;
        try {
            for (int i = 0; i < o.throughputRounds(); i++) {
                Wrk.Result round = wrk.run(port, script, o.connections(), o.seconds());
                if (!round.ok()) {
                    r.throughputSkipped = "wrk gave no figure: " + PairedLatency.abbreviate(round.raw());
                    return;
                }
                rounds.add(round);
            }
        } finally {
            if (cpu != null) {
                r.throughputCpu = cpu.stop();
            }
        }
        r.throughputRounds = rounds.stream().map(Wrk.Result::rps).toList();
        r.throughputRequests = rounds.stream().mapToLong(Wrk.Result::requests).sum();
        rounds.sort(Comparator.comparingDouble(Wrk.Result::rps));
        r.throughput = rounds.get(rounds.size() / 2);
    }

    private static PairedLatency.Endpoint directEndpoint(int port) {
        return PairedLatency.Endpoint.of(port, Map.of());
    }

    /** The peer for a target name, or null when it is not installed. */
    private Peer peer(String name, Map<String, String> versions) {
        return switch (name) {
            case "nginx" -> new NginxPeer(o.nginx(), libEnv, versions.get("nginx"));
            case "nginx-cache" -> new NginxCachePeer(o.nginx(), libEnv, versions.get("nginx"));
            case "shammah-off", "shammah-on", "shammah-on-no-rewordings", "shammah-on-watched",
                 "shammah-on-openai", "shammah-local", "shammah-local-10k" -> new ShammahPeer(
                    name, !name.equals("shammah-off"), !name.equals("shammah-on-no-rewordings"), o.jar(),
                    versions.get("shammah"));
            case "portkey" -> installed(PortkeyPeer.packageDir(o.npm())) ? new PortkeyPeer(o.npm()) : null;
            case "ccr" -> installed(CcrPeer.packageDir(o.npm())) ? new CcrPeer(o.npm()) : null;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static boolean installed(Path packageDir) {
        return Files.isRegularFile(packageDir.resolve("package.json"));
    }

    private Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        String java = System.getProperty("java.home") + "/bin/java";
        v.put("shammah", Versions.ofCommand(List.of(java, "-jar", o.jar().toString(), "--version"), Map.of(),
                "shammah (\\S+)") + (o.commit().isBlank() ? "" : " (" + o.commit() + ")"));
        v.put("JDK", System.getProperty("java.vm.name") + " " + Runtime.version());
        v.put("nginx", Versions.ofCommand(List.of(o.nginx().toString(), "-v"), libEnv, "nginx/(\\S+)")
                + " (" + o.nginx() + ")");
        v.put("wrk", o.wrk() == null ? "not installed"
                : Versions.ofCommand(List.of(o.wrk().toString(), "-v"), libEnv, "wrk (\\S+ \\S+)") + " (" + o.wrk() + ")");
        if (o.npm() != null) {
            v.put("node", Versions.ofCommand(List.of("node", "--version"), Map.of(), "v(\\S+)"));
            v.put("@portkey-ai/gateway", Versions.npmPackage(PortkeyPeer.packageDir(o.npm())));
            v.put("@hono/node-server (Portkey's server)",
                    Versions.npmPackage(o.npm().resolve("node_modules/@hono/node-server")));
            v.put("@musistudio/claude-code-router", Versions.npmPackage(CcrPeer.packageDir(o.npm())));
        }
        return v;
    }

    /** "name: reason" lines the install step wrote for peers it could not install. */
    private Map<String, String> installNotes() throws IOException {
        Map<String, String> notes = new LinkedHashMap<>();
        if (o.notes() != null && Files.isRegularFile(o.notes())) {
            for (String line : Files.readAllLines(o.notes())) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    notes.merge(line.substring(0, colon).trim(), line.substring(colon + 1).trim(), (a, b) -> a + "; " + b);
                }
            }
        }
        return notes;
    }

    private static void progress(String s) {
        System.err.println(String.format(Locale.ROOT, "bench: %s", s));
    }
}
