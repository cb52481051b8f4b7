package dev.shammah.bench.sidebyside;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code scripts/bench side-by-side} options. The user's: {@code --pairs}, {@code --warmup} (default
 * {@value #WARMUP_PAIRS}), {@code --seconds},
 * {@code --warmup-seconds} (the unmeasured wrk run before a target's measured ones; default
 * {@value #WARMUP_SECONDS}),
 * {@code --connections}, {@code --sustain-seconds}, {@code --sustain-warmup-seconds} (the same soak's load before
 * its measured window; default 240), {@code --targets}, {@code --throughput-rounds} (measured wrk runs per target, the
 * median reported; default 3). The rest are passed by the script: where it
 * installed the peers and where the run may write.
 */
record Options(int pairs, int warmup, int seconds, int warmupSeconds, int connections, int sustainSeconds,
        int sustainWarmupSeconds, int throughputRounds, List<String> targets, Path work, Path nginx, Path wrk, String libPath, Path npm, Path jar, Path notes,
        Path markdown, String commit, String commandLine) {

    static final List<String> KNOWN_TARGETS = List.of("nginx", "shammah-off", "shammah-on", "portkey", "ccr",
            "shammah-on-no-rewordings", "shammah-on-watched", "shammah-on-openai", "nginx-cache", "shammah-local",
            "shammah-local-10k");

    /**
     * The default unmeasured run before a target's throughput is measured. On 2 cores a JVM's compiler was still at
     * 10% of learning on's CPU after 30 s of flood, its serving CPU per request 1.3 times learning off's; after 60 s,
     * 5% and the same as off's (the CPU table of the report shows it for every run).
     */
    static final int WARMUP_SECONDS = 60;

    /**
     * The default warm-up pairs before each latency block's measured ones. A gateway serves for days: measure it as it
     * runs after its first few seconds, once the JIT (the JVM's, node's V8) has compiled its hot paths. At 3,000 it
     * still had not: the time a forwarded request spent inside Shammah (a loopback capture, learning off, requests one
     * at a time) was 0.38 ms at p50 after 3,000 requests, 0.31 after 17,000 and 0.30 after 49,000.
     */
    static final int WARMUP_PAIRS = 15_000;

    static Options parse(String[] args) {
        int pairs = 600;
        int warmup = WARMUP_PAIRS;
        int seconds = 8;
        int warmupSeconds = WARMUP_SECONDS;
        int connections = 32;
        int sustain = 0;
        // The soak's own load before its window: bounded caches (prompt vectors and facts, forms, lookups, safety
        // verdicts; about 10 MB at their caps, estimated from their caps and entry sizes, not measured) fill under it — slowly, since under a flood the paced learning
        // workers fill several and mostly rest: at 7 minutes the heap had levelled off after about 4 — and the
        // question the window answers is whether the heap grows once they are full.
        int sustainWarmup = 240;
        // One 8 s run of one target can sit 40% from the next on this machine (a JIT still compiling, the other
        // processes on the two cores): the median of three is what a ratio between targets is taken from.
        int rounds = 3;
        List<String> targets = KNOWN_TARGETS;
        Path work = Path.of("target/bench-peers/run");
        Path nginx = null;
        Path wrk = null;
        String libPath = "";
        Path npm = null;
        Path jar = Path.of("target/shammah.jar");
        Path notes = null;
        Path markdown = Path.of("target/bench-side-by-side.md");
        String commit = "";
        String commandLine = "scripts/bench side-by-side";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--pairs" -> pairs = positive(a, v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--seconds" -> seconds = positive(a, v);
                case "--warmup-seconds" -> warmupSeconds = positive(a, v);
                case "--connections" -> connections = positive(a, v);
                case "--sustain-seconds" -> sustain = Integer.parseInt(v);
                case "--sustain-warmup-seconds" -> sustainWarmup = Integer.parseInt(v);
                case "--throughput-rounds" -> rounds = positive(a, v);
                case "--targets" -> targets = targets(v);
                case "--work" -> work = Path.of(v);
                case "--nginx" -> nginx = v.isBlank() ? null : Path.of(v);
                case "--wrk" -> wrk = v.isBlank() ? null : Path.of(v);
                case "--lib-path" -> libPath = v;
                case "--npm" -> npm = Path.of(v);
                case "--jar" -> jar = Path.of(v);
                case "--notes" -> notes = Path.of(v);
                case "--markdown" -> markdown = Path.of(v);
                case "--commit" -> commit = v;
                case "--command-line" -> commandLine = v;
                default -> throw new IllegalArgumentException("unknown option " + a
                        + " (side-by-side takes --pairs, --warmup, --seconds, --warmup-seconds, --connections, "
                        + "--sustain-seconds, --sustain-warmup-seconds, --throughput-rounds, --targets)");
            }
        }
        return new Options(pairs, warmup, seconds, warmupSeconds, connections, sustain,
                Math.max(0, sustainWarmup), rounds, targets, work, nginx, wrk, libPath, npm, jar, notes, markdown, commit, commandLine);
    }

    private static int positive(String name, String v) {
        int n = Integer.parseInt(v);
        if (n <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return n;
    }

    private static List<String> targets(String v) {
        List<String> t = Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String name : t) {
            if (!KNOWN_TARGETS.contains(name)) {
                throw new IllegalArgumentException("unknown target " + name + " (known: "
                        + String.join(",", KNOWN_TARGETS) + "; direct is always measured)");
            }
        }
        return t;
    }
}
