package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A gateway measured side by side: how to start one in front of a given upstream port, and how to address it. */
interface Peer {
    /** How to start it: a command line and the environment added to the bench's own. */
    record Launch(List<String> command, Map<String, String> env) {
    }

    /** The name used in {@code --targets} and in the tables. */
    String name();

    /**
     * Prepares {@code dir} (its own, fresh) and says how to start the peer listening on {@code port} and forwarding
     * {@code POST /v1/messages} to the fake upstream on 127.0.0.1:{@code upstreamPort}.
     */
    Launch launch(int port, int upstreamPort, Path dir) throws IOException;

    /** Headers a client adds to every request for this peer (for Portkey: where to send it). */
    default Map<String, String> headers(int upstreamPort) {
        return Map.of();
    }

    /** True when it is measured with OpenAI-format requests ({@code POST /v1/chat/completions}). */
    default boolean openAi() {
        return false;
    }

    /**
     * True when it is measured on {@link Prompts#STORED} repeated prompts — the local path: answers from a cache or
     * from what was learned — rather than on fresh ones.
     */
    default boolean repeats() {
        return false;
    }

    /** The header and value every measured answer must carry, or null. */
    default String[] expected() {
        return null;
    }

    /** Exchanges learned across many tenants before it is measured (0: none), so that the store's size shows. */
    default int storeSize() {
        return 0;
    }

    /** Its version, as installed. */
    String version();

    /** True for a JVM, whose heap the bench reads after a GC. */
    default boolean jvm() {
        return false;
    }
}
