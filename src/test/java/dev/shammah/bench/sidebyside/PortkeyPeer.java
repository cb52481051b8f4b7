package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Portkey's AI gateway (npm {@code @portkey-ai/gateway}), headless. It has no upstream setting of its own: each
 * request names the provider and the host in headers. It listens on every address (it has no host option).
 */
final class PortkeyPeer implements Peer {
    private final Path npm;

    PortkeyPeer(Path npm) {
        this.npm = npm;
    }

    static Path packageDir(Path npm) {
        return npm.resolve("node_modules/@portkey-ai/gateway");
    }

    @Override
    public String name() {
        return "portkey";
    }

    @Override
    public Launch launch(int port, int upstreamPort, Path dir) throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        return new Launch(List.of("node", packageDir(npm).resolve("build/start-server.js").toString(),
                "--port=" + port, "--headless"), Map.of("HOME", home.toString()));
    }

    @Override
    public Map<String, String> headers(int upstreamPort) {
        return Map.of("x-portkey-provider", "anthropic",
                "x-portkey-custom-host", "http://127.0.0.1:" + upstreamPort + "/v1");
    }

    @Override
    public String version() {
        return Versions.npmPackage(packageDir(npm));
    }
}
