package dev.shammah.bench.sidebyside;

import java.nio.file.Path;

/**
 * {@code scripts/bench two-instance} options. The user's: {@code --pairs}, {@code --warmup}, {@code --seconds},
 * {@code --connections}, {@code --lag-samples}. The rest come from the script.
 */
record TwoInstanceOptions(int pairs, int warmup, int seconds, int connections, int lagSamples, Path work, Path nginx,
        Path wrk, String libPath, Path jar, Path markdown, String commit, String commandLine) {

    static TwoInstanceOptions parse(String[] args) {
        int pairs = 600;
        int warmup = 3000;
        int seconds = 8;
        int connections = 32;
        int lagSamples = 200;
        Path work = Path.of("target/bench-peers/two-instance");
        Path nginx = null;
        Path wrk = null;
        String libPath = "";
        Path jar = Path.of("target/shammah.jar");
        Path markdown = Path.of("target/bench-two-instance.md");
        String commit = "";
        String commandLine = "scripts/bench two-instance";
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
                case "--connections" -> connections = positive(a, v);
                case "--lag-samples" -> lagSamples = positive(a, v);
                case "--work" -> work = Path.of(v);
                case "--nginx" -> nginx = v.isBlank() ? null : Path.of(v);
                case "--wrk" -> wrk = v.isBlank() ? null : Path.of(v);
                case "--lib-path" -> libPath = v;
                case "--jar" -> jar = Path.of(v);
                case "--markdown" -> markdown = Path.of(v);
                case "--commit" -> commit = v;
                case "--command-line" -> commandLine = v;
                default -> throw new IllegalArgumentException("unknown option " + a + " (two-instance takes --pairs, "
                        + "--warmup, --seconds, --connections, --lag-samples)");
            }
        }
        return new TwoInstanceOptions(pairs, warmup, seconds, connections, lagSamples, work, nginx, wrk, libPath, jar,
                markdown, commit, commandLine);
    }

    private static int positive(String name, String v) {
        int n = Integer.parseInt(v);
        if (n <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return n;
    }
}
