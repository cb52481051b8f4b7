package dev.shammah.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import ai.djl.Device;
import dev.shammah.local.Checkpoints;
import dev.shammah.local.StudentModel;
import dev.shammah.local.StudentTrainer;
import dev.shammah.local.StudentNet;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The local path: the route decision's percentiles from JMH ({@link RouteDecisionBenchmark}), then the student
 * model's first-token latency and tokens per second on this CPU (default size, byte tokens).
 */
public final class LocalPathBench {
    private LocalPathBench() {
    }

    public static void main(String[] args) throws Exception {
        StringBuilder out = new StringBuilder("## Local path\n\n");
        var results = new Runner(new OptionsBuilder()
                .include(RouteDecisionBenchmark.class.getSimpleName())
                .forks(1)
                .warmupIterations(2).warmupTime(TimeValue.seconds(2))
                .measurementIterations(3).measurementTime(TimeValue.seconds(3))
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true")
                .build()).run();
        out.append("Route decision (JMH, sample time, 1 fork, 2×2 s warm-up, 3×3 s measured):\n\n");
        out.append("| benchmark | samples | p50 µs | p99 µs | p99.9 µs |\n|---|---|---|---|---|\n");
        for (RunResult r : results) {
            var s = r.getPrimaryResult().getStatistics();
            out.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n",
                    r.getParams().getBenchmark().replaceAll(".*\\.", ""), s.getN(), s.getPercentile(50),
                    s.getPercentile(99), s.getPercentile(99.9)));
        }
        out.append('\n');

        Path dir = Files.createTempDirectory("shammah-student-bench");
        StudentTrainer.Settings settings = new StudentTrainer.Settings(128, 4, 2, 192, 32, 1, Integer.MAX_VALUE, 0.003f,
                Device.cpu());
        Checkpoints ckpts = new Checkpoints(dir, 5);
        try (StudentTrainer trainer = new StudentTrainer(settings, ckpts, (a, b) -> 0.0, m -> { }, Clock.systemUTC())) {
            trainer.trainOn(List.<String[]>of(new String[] {"warm", "up"}));
            var m = trainer.checkpoint();
            ckpts.promote(m.name());
        }
        try (StudentModel student = new StudentModel(ckpts, settings)) {
            // First token through the serving path (StudentModel, as a request gets it).
            long first = 0;
            int runs = 20;
            for (int r = 0; r < runs + 5; r++) {
                long start = System.nanoTime();
                Iterator<String> it = student.generate("Write a short note about the weather in Lisbon today.", null);
                it.hasNext();
                if (r >= 5) {
                    first += System.nanoTime() - start;
                }
                if (it instanceof AutoCloseable c) {
                    c.close();
                }
            }
            // Decoding speed: greedy steps over a growing context, without stopping at the end mark (the
            // untrained weights would stop at once), so this is the cost per generated token.
            StudentNet net = new StudentNet(128, 4, 2, 192);
            try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                net.initialize(m, DataType.FLOAT32, new Shape(1, 192));
                int prompt = 40;
                int steps = 150;
                for (int w = 0; w < 20; w++) {
                    step(net, m, prompt);
                }
                long start = System.nanoTime();
                for (int t = 0; t < steps; t++) {
                    step(net, m, prompt + t);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                out.append(String.format(Locale.ROOT, "Student model on CPU (dim 128, 4 heads, 2 layers, 192-byte "
                        + "context): first token through the serving path **%.1f ms** (mean of %d); decoding **%.0f "
                        + "tokens/s** (%d greedy steps from a %d-byte prompt; a token is one byte; no KV cache, so "
                        + "each step re-reads the context).%n", first / 1e6 / runs, runs, steps / seconds, steps, prompt));
            }
        }
        System.out.print(out);
    }

    private static void step(StudentNet net, NDManager m, int len) {
        try (NDManager s = m.newSubManager()) {
            long[] ids = new long[len];
            java.util.Arrays.fill(ids, 'a');
            NDArray logits = net.forward(new ParameterStore(s, false), new NDList(s.create(ids, new Shape(1, len))),
                    false).singletonOrThrow();
            logits.get(0, len - 1).argMax().toLongArray();
        }
    }
}
