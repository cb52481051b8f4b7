package dev.shammah.bench.sidebyside;

import java.nio.file.Files;
import java.nio.file.Path;

/** How a bench's main ends: its report on stdout and in a markdown file, and every process it started stopped. */
final class BenchRun {
    interface Body {
        String report(Children children) throws Exception;
    }

    private BenchRun() {
    }

    static void publish(Path work, Path markdown, Body body) throws Exception {
        Files.createDirectories(work);
        Children children = new Children(work.resolve("pids"));
        try {
            String report = body.report(children);
            System.out.print(report);
            Files.createDirectories(markdown.toAbsolutePath().getParent());
            Files.writeString(markdown, report);
            System.err.println("bench: written to " + markdown);
        } finally {
            children.stopAll();
        }
    }
}
