package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import dev.shammah.learning.LearningStore;
import dev.shammah.local.Exchange;
import dev.shammah.local.TeacherMemory;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * {@code scripts/bench two-instance}: what sharing a store costs and what it buys, on this machine, in one run.
 * One Shammah with the embedded store (today's single machine), one with the PostgreSQL store behind nginx, and two
 * behind nginx round robin — all daemons from the jar, learning on, in front of the same fake upstream — measured
 * from the client's side: added latency paired with the direct baseline, throughput with wrk, and the catch-up lag
 * from "learned on A" to "servable on B". PostgreSQL is the one the test suite uses (zonky's binaries).
 */
public final class TwoInstanceBench {
    private final TwoInstanceOptions o;
    private final Children children;
    private final Map<String, String> libEnv;
    private FakeUpstream fake;
    private Wrk wrk;
    private EmbeddedPostgres pg;
    private String pgVersion = "unknown";

    private TwoInstanceBench(TwoInstanceOptions o, Children children) {
        this.o = o;
        this.children = children;
        this.libEnv = o.libPath().isBlank() ? Map.of() : Map.of("LD_LIBRARY_PATH", o.libPath());
    }

    public static void main(String[] args) throws Exception {
        TwoInstanceOptions o;
        try {
            o = TwoInstanceOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o.nginx() == null) {
            System.err.println("bench: two-instance needs nginx (the fake upstream and the balancer); none could be "
                    + "installed");
            System.exit(1);
        }
        BenchRun.publish(o.work(), o.markdown(), children -> new TwoInstanceBench(o, children).run());
        System.exit(0);
    }

    /** One configuration's figures. */
    static final class Run {
        final String name;
        PairedLatency.Result latency;
        Wrk.Result throughput;
        long learned = -1;
        Samples answerToB;
        String serverLag = "";
        String failed;

        Run(String name) {
            this.name = name;
        }
    }

    private String run() throws Exception {
        try {
            return measureAll();
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    private String measureAll() throws Exception {
        String load = Report.loadAverage();
        fake = FakeUpstream.start(children, o.nginx(), libEnv, o.work().resolve("fake"));
        wrk = o.wrk() == null ? null : new Wrk(o.wrk(), libEnv);
        progress("starting PostgreSQL");
        pg = EmbeddedPostgres.builder().setPort(Ports.free()).setDataDirectory(o.work().resolve("pg"))
                .setServerConfig("max_connections", "200").start();
        pgVersion = scalar(url("postgres"), "select version()");
        Wrk.Result direct = wrk == null ? null : wrk.run(fake.jsonPort(), Wrk.script(o.work(), "direct", Map.of()),
                o.connections(), o.seconds());
        List<Run> runs = new ArrayList<>();
        runs.add(measure("1 instance, embedded store", 1, false, false));
        runs.add(measure("1 instance, postgres, behind nginx", 1, true, true));
        Run two = measure("2 instances, postgres, behind nginx", 2, true, true);
        runs.add(two);
        String rebuild = rebuild(two);
        String ceiling = writeCeilings();
        return new TwoInstanceReport(o, load, pgVersion, direct, runs, rebuild, ceiling).markdown();
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + database;
    }

    private static String scalar(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    private int database = 0;

    private String newDatabase() throws Exception {
        String name = "bench_" + (++database);
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", ""); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        return url(name);
    }

    private Run measure(String name, int instances, boolean shared, boolean balanced) {
        Run r = new Run(name);
        List<Process> started = new ArrayList<>();
        try {
            String store = shared ? newDatabase() : null;
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                int port = Ports.free();
                Path dir = o.work().resolve(slug(name)).resolve("instance-" + i);
                Files.createDirectories(dir);
                Peer.Launch l = ClusterPeer.daemon(o.jar(), "", port, fake.jsonPort(), dir, store);
                progress(name + ": starting instance " + (i + 1));
                Process p = children.start(l.command(), l.env(), dir, dir.resolve("shammah.log"));
                started.add(p);
                if (!Children.awaitPort(p, port, Duration.ofSeconds(120))) {
                    throw new IOException("instance " + (i + 1) + " did not listen: " + Children.tail(dir.resolve(
                            "shammah.log"), 4));
                }
                ports.add(port);
            }
            int entry = ports.get(0);
            if (balanced) {
                entry = Ports.free();
                Path dir = o.work().resolve(slug(name)).resolve("nginx");
                Peer.Launch l = ClusterPeer.balancer(o.nginx(), libEnv, entry, ports, dir);
                Process p = children.start(l.command(), l.env(), dir, dir.resolve("nginx.log"));
                started.add(p);
                if (!Children.awaitPort(p, entry, Duration.ofSeconds(10))) {
                    throw new IOException("nginx did not listen: " + Children.tail(dir.resolve("error.log"), 4));
                }
            }
            PairedLatency.Endpoint target = PairedLatency.Endpoint.of(entry, Map.of());
            progress(name + ": added latency, " + o.pairs() + " pairs");
            // Each instance gets the warm-up one instance gets: behind a balancer it sees only its share.
            r.latency = PairedLatency.run(PairedLatency.Endpoint.of(fake.jsonPort(), Map.of()), target, new Prompts(),
                    false, o.warmup() * instances, o.pairs());
            if (wrk != null) {
                progress(name + ": throughput");
                long before = store == null ? 0 : Long.parseLong(scalar(store, "select count(*) from exchanges"));
                r.throughput = wrk.run(entry, Wrk.script(o.work(), slug(name), target.headers()), o.connections(),
                        o.seconds());
                if (store != null) {
                    Thread.sleep(2000);
                    r.learned = Long.parseLong(scalar(store, "select count(*) from exchanges")) - before;
                }
            }
            if (instances == 2) {
                // What wrk left in the learners' queues is learned first: the lag is measured on idle instances.
                for (int port : ports) {
                    awaitIdleLearner(port);
                }
                progress(name + ": catch-up lag, " + o.lagSamples() + " exchanges learned on A, polled on B");
                lag(r, ports.get(0), ports.get(1));
                r.serverLag = CatchUp.fromMetrics(ports.get(1));
            }
        } catch (Exception e) {
            r.failed = e.toString();
            progress(name + ": failed: " + e);
        } finally {
            started.forEach(children::stop);
        }
        return r;
    }

    /**
     * One exchange at a time: asked of A (forwarded; A learns it off the request's path and writes it to the store),
     * then asked of B with {@code x-shammah-route: local} until B serves it. Only B is polled: polling A too would
     * take the core A learns on.
     */
    private void lag(Run r, int a, int b) throws Exception {
        r.answerToB = new Samples();
        Map<String, String> plain = PairedLatency.Endpoint.of(a, Map.of()).headers();
        Map<String, String> local = new LinkedHashMap<>(plain);
        local.put("x-shammah-route", "local");
        try (KeepAliveConnection ca = new KeepAliveConnection(a); KeepAliveConnection cb = new KeepAliveConnection(b)) {
            for (int i = 0; i < o.lagSamples(); i++) {
                byte[] body = ("{\"model\":\"" + Prompts.MODEL + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"Lag probe " + i + " of " + System.nanoTime() + "?\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
                if (!ca.post("/v1/messages", plain, body).ok()) {
                    throw new IOException("A did not answer a lag probe");
                }
                long answered = System.nanoTime();
                r.answerToB.add(until(cb, local, body) - answered);
                // Apart, so that each probe is learned on its own, not in a burst.
                Thread.sleep(20);
            }
        }
    }

    /**
     * Polls with a forced local answer until it is served; returns when the request that was served was sent (the
     * answer itself may take a few ms more: the first local answer to a prompt runs its safety check).
     */
    private static long until(KeepAliveConnection c, Map<String, String> headers, byte[] body) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            long sent = System.nanoTime();
            if (c.post("/v1/messages", headers, body).ok()) {
                return sent;
            }
            // A short rest between polls: back to back they would take a core from the instances measured.
            java.util.concurrent.locks.LockSupport.parkNanos(500_000);
        }
        throw new IOException("not servable within 30 s");
    }

    /** Waits (at most a minute) until an instance's learner has nothing queued. */
    private static void awaitIdleLearner(int port) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            String status = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/v1/training/status")).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            if (status.contains("\"queued\":0,")) {
                return;
            }
            Thread.sleep(100);
        }
    }

    /** A fresh instance on the two-instance run's store: how long it takes to rebuild its copy and listen. */
    private String rebuild(Run two) {
        if (two.failed != null || database == 0) {
            return "not measured";
        }
        try {
            String store = url("bench_" + database);
            long rows = Long.parseLong(scalar(store, "select count(*) from exchanges"));
            List<String> out = new ArrayList<>();
            for (String which : List.of("empty embedded store", "store with " + rows + " exchanges")) {
                int port = Ports.free();
                Path dir = o.work().resolve("rebuild-" + slug(which));
                Files.createDirectories(dir);
                Peer.Launch l = ClusterPeer.daemon(o.jar(), "", port, fake.jsonPort(), dir,
                        which.startsWith("empty") ? null : store);
                long start = System.nanoTime();
                Process p = children.start(l.command(), l.env(), dir, dir.resolve("shammah.log"));
                boolean up = Children.awaitPort(p, port, Duration.ofSeconds(300));
                long took = System.nanoTime() - start;
                children.stop(p);
                out.add(String.format(Locale.ROOT, "%s: %s", which, up ? String.format(Locale.ROOT, "%.2f s from "
                        + "process start to listening", took / 1e9) : "did not listen"));
            }
            return String.join("; ", out);
        } catch (Exception e) {
            return "failed: " + e;
        }
    }

    /**
     * How many learned exchanges per second the store takes when nothing else runs: writer threads in one
     * in-process instance keep exchanges as fast as they can for five seconds. Every write that others must see
     * holds one lock (store/Changes), so this is the whole cluster's ceiling, whatever the number of instances.
     * Measured on the bench's PostgreSQL (as zonky starts it: fsync and synchronous commit off), then on a second
     * one started with both on, where each commit waits for its flush while the lock is held.
     */
    private String writeCeilings() throws Exception {
        String fast = "as zonky starts it (" + settings(url("postgres")) + "): " + writeCeiling(newDatabase(), "ceiling");
        progress("starting a durable PostgreSQL for the write ceiling");
        try (EmbeddedPostgres durable = EmbeddedPostgres.builder().setPort(Ports.free())
                .setDataDirectory(o.work().resolve("pg-durable")).setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on").start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + durable.getPort() + "/";
            try (Connection c = DriverManager.getConnection(url + "postgres", "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("create database ceiling");
            }
            return fast + "; durable (" + settings(url + "postgres") + "): "
                    + writeCeiling(url + "ceiling", "ceiling-durable");
        }
    }

    private static String settings(String url) throws Exception {
        return scalar(url, "select 'fsync ' || current_setting('fsync') || ', synchronous_commit ' "
                + "|| current_setting('synchronous_commit')");
    }

    private String writeCeiling(String store, String dir) {
        List<String> out = new ArrayList<>();
        Map<String, String> config = new HashMap<>(TestPostgres.storeConfig(store));
        config.put("learning.enabled", "true");
        try (RunningApp app = RunningApp.startIn(URI.create("http://127.0.0.1:" + fake.jsonPort()),
                o.work().resolve(dir), config, Clock.systemUTC())) {
            LearningStore learning = app.app().learning().store();
            for (int threads : new int[] {1, 4}) {
                AtomicLong kept = new AtomicLong();
                long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                List<Thread> ts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    ts.add(Thread.ofPlatform().start(() -> {
                        while (System.nanoTime() < end) {
                            String id = UUID.randomUUID().toString();
                            learning.keep(new Exchange(id, "bench", "ctx", null, "[{\"type\":\"text\",\"text\":\"a\"}]",
                                    "end_turn", "m", 1, Instant.now()), new TeacherMemory.Keys("s", "sh" + id,
                                    "c" + id, List.of("sp" + id)));
                            kept.incrementAndGet();
                        }
                    }));
                }
                for (Thread t : ts) {
                    t.join();
                }
                long stored = Long.parseLong(scalar(store, "select count(*) from exchanges"));
                out.add(String.format(Locale.ROOT, "%d writer thread%s: %.0f exchanges/s", threads,
                        threads == 1 ? "" : "s", kept.get() / 5.0));
                progress(dir + ", " + threads + " threads: " + kept.get() + " kept, " + stored + " stored");
            }
        } catch (Exception e) {
            return "failed: " + e;
        }
        return String.join("; ", out);
    }

    private static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    private static void progress(String s) {
        System.err.println("bench: " + s);
    }
}
