package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A peer started for one phase (JSON or streaming), listening, and checked to answer like the fake. */
final class RunningPeer implements AutoCloseable {
    /** The peer could not be started or does not answer as it should; the message says why, for the report. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration ANSWER = Duration.ofSeconds(20);

    private final Children children;
    private final Process process;
    private final PairedLatency.Endpoint endpoint;

    private RunningPeer(Children children, Process process, PairedLatency.Endpoint endpoint) {
        this.children = children;
        this.process = process;
        this.endpoint = endpoint;
    }

    static RunningPeer start(Peer peer, int upstreamPort, boolean stream, Path dir, Children children)
            throws Failed, IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = Ports.free();
        Peer.Launch launch = peer.launch(port, upstreamPort, dir);
        Path log = dir.resolve(peer.name() + ".log");
        Process p = children.start(launch.command(), launch.env(), dir, log);
        RunningPeer running = new RunningPeer(children, p, peer.openAi()
                ? PairedLatency.Endpoint.openAi(port) : PairedLatency.Endpoint.of(port, peer.headers(upstreamPort)));
        try {
            if (!Children.awaitPort(p, port, START)) {
                throw new Failed((p.isAlive() ? "not listening after " + START.toSeconds() + " s" : "exited with "
                        + p.exitValue()) + ": " + Children.tail(log, 4));
            }
            running.verify(stream, log);
            return running;
        } catch (Failed | InterruptedException | RuntimeException e) {
            running.close();
            throw e;
        }
    }

    /** One request with a fresh prompt must come back as the fake's answer (some listen before they can serve). */
    private void verify(boolean stream, Path log) throws Failed, InterruptedException {
        long deadline = System.nanoTime() + ANSWER.toNanos();
        String problem;
        Prompts probe = new Prompts();
        do {
            try (KeepAliveConnection c = new KeepAliveConnection(endpoint.port())) {
                problem = PairedLatency.problem(c.post(endpoint.path(), endpoint.headers(), probe.next(stream)), stream,
                        endpoint.openAi());
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (problem == null) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new Failed("does not answer POST /v1/messages" + (stream ? " (stream)" : "") + " as the fake does: "
                + problem + "; log: " + Children.tail(log, 3));
    }

    PairedLatency.Endpoint endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        children.stop(process);
    }
}
