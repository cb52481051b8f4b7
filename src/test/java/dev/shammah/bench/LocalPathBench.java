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
            for (int w = 0; w < 3; w++) {
                student.generate("warm-up prompt", null).forEachRemaining(t -> { });
            }
            long first = 0;
            long total = 0;
            int tokens = 0;
            int runs = 5;
            for (int r = 0; r < runs; r++) {
                long start = System.nanoTime();
                Iterator<String> it = student.generate("Write a short note about the weather in Lisbon today.", null);
                int n = 0;
                while (it.hasNext()) {
                    it.next();
                    if (n++ == 0) {
                        first += System.nanoTime() - start;
                    }
                }
                total += System.nanoTime() - start;
                tokens += n;
            }
            out.append(String.format(Locale.ROOT, "Student model on CPU (dim 128, 4 heads, 2 layers, context 192 bytes; "
                    + "untrained weights, so it writes until its context is full): first token **%.1f ms**, "
                    + "**%.0f tokens/s** (a token is one UTF-8 character; %d tokens over %d runs, greedy, no KV cache).%n",
                    first / 1e6 / runs, tokens / (total / 1e9), tokens, runs));
        }
        System.out.print(out);
    }
}
