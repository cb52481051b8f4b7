package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Every process the bench starts, so that each one is stopped at the end — also on an error or Ctrl-C (a shutdown
 * hook). The pids of those running are kept in a file as well: if this JVM is killed outright,
 * {@code scripts/bench}'s trap stops what it left behind.
 */
final class Children {
    private final List<Process> running = new CopyOnWriteArrayList<>();
    private final Path pidFile;

    Children(Path pidFile) {
        this.pidFile = pidFile;
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "stop-bench-children"));
    }

    /** Starts {@code command} with {@code env} added to this JVM's environment, output to {@code log}. */
    Process start(List<String> command, Map<String, String> env, Path workDir, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        running.add(p);
        writePids();
        return p;
    }

    /** Waits until something accepts connections on 127.0.0.1:{@code port}; false if {@code p} died or time ran out. */
    static boolean awaitPort(Process p, int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return false;
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    /** SIGTERM to the process and its descendants, then SIGKILL to whatever is left after 15 s. */
    void stop(Process p) {
        List<ProcessHandle> tree = p.descendants().toList();
        p.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                System.err.println("bench: pid " + p.pid() + " ignored SIGTERM for 15 s: killed");
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        running.remove(p);
        writePids();
    }

    /** Only the processes running now: a pid of one that already ended may since belong to someone else. */
    private synchronized void writePids() {
        StringBuilder s = new StringBuilder();
        running.forEach(p -> s.append(p.pid()).append('\n'));
        try {
            Files.writeString(pidFile, s, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("bench: cannot write " + pidFile + ": " + e.getMessage());
        }
    }

    void stopAll() {
        for (Process p : List.copyOf(running)) {
            stop(p);
        }
    }

    /** The last {@code lines} lines of a log, for saying why a peer did not start. */
    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .map(l -> l.replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "").replaceAll(".*\r", ""))
                    .filter(l -> !l.isBlank()).toList();
            return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
