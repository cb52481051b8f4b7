package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What exactly was measured: versions as the installed programs report them. */
final class Versions {
    private Versions() {
    }

    /** The {@code version} field of an installed npm package, or "not installed". */
    static String npmPackage(Path dir) {
        try {
            Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"")
                    .matcher(Files.readString(dir.resolve("package.json")));
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            return "not installed";
        }
    }

    /** The first line of a command's output matching {@code pattern} (its group 1), or the first line. */
    static String ofCommand(List<String> command, Map<String, String> env, String pattern) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            Matcher m = Pattern.compile(pattern).matcher(out);
            if (m.find()) {
                return m.group(1);
            }
            return out.lines().findFirst().orElse("unknown").trim();
        } catch (IOException e) {
            return "unavailable (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
