package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * claude-code-router (npm {@code @musistudio/claude-code-router}) started with {@code ccr start}, which serves in the
 * foreground. Its config lives in {@code $HOME/.claude-code-router/config.json}, so HOME is a folder of the
 * bench's own. One provider, the fake, behind the {@code Anthropic} transformer, which passes Messages API requests
 * and answers through unchanged. Its own logging is off (its default is on, at debug level): that favours it
 * against Shammah, whose request and audit logs stay on as shipped.
 */
final class CcrPeer implements Peer {
    private final Path npm;

    CcrPeer(Path npm) {
        this.npm = npm;
    }

    static Path packageDir(Path npm) {
        return npm.resolve("node_modules/@musistudio/claude-code-router");
    }

    @Override
    public String name() {
        return "ccr";
    }

    @Override
    public Launch launch(int port, int upstreamPort, Path dir) throws IOException {
        Path home = dir.resolve("home");
        Path config = Files.createDirectories(home.resolve(".claude-code-router")).resolve("config.json");
        Files.writeString(config, """
                {
                  "PORT": %d,
                  "HOST": "127.0.0.1",
                  "LOG": false,
                  "Providers": [
                    {
                      "name": "fake",
                      "api_base_url": "http://127.0.0.1:%d/v1/messages",
                      "api_key": "%s",
                      "models": ["%s"],
                      "transformer": { "use": ["Anthropic"] }
                    }
                  ],
                  "Router": { "default": "fake,%s" }
                }
                """.formatted(port, upstreamPort, ShammahPeer.UPSTREAM_KEY, Prompts.MODEL, Prompts.MODEL));
        return new Launch(List.of(npm.resolve("node_modules/.bin/ccr").toString(), "start"),
                Map.of("HOME", home.toString()));
    }

    @Override
    public String version() {
        return Versions.npmPackage(packageDir(npm));
    }
}
