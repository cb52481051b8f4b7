package dev.shammah.testsupport;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.shammah.config.ConfigInputs;
import dev.shammah.config.ConfigLoader;
import dev.shammah.config.ShammahConfig;

/** Configs for in-process servers, built through the real loader so tests exercise it too. */
public final class TestConfigs {
    private TestConfigs() {
    }

    /**
     * A config pointing at {@code upstream}, binding a free port, keeping data under {@code dataDir}.
     *
     * @param overrides extra keys, e.g. {@code server.max-sessions → 2}
     */
    public static ShammahConfig forUpstream(URI upstream, Path dataDir, Map<String, String> overrides) {
        Map<String, String> flags = new HashMap<>();
        flags.put("server.bind-address", "127.0.0.1:0");
        flags.put("upstream.base-url", upstream.toString());
        flags.put("upstream.api-key", FakeAnthropic.API_KEY);
        flags.put("upstream.timeout", "5s");
        // Retries stay on (they are behaviour under test) but wait milliseconds, not seconds.
        flags.put("upstream.retry-delay", "5ms");
        flags.put("data-dir", dataDir.toString());
        // Learning would turn a test's repeated prompts local after a while; tests of the learning core
        // switch it back on.
        flags.put("learning.enabled", "false");
        flags.putAll(overrides);
        // installDir and userHome point at the empty data dir so no real config file leaks into a test.
        return ConfigLoader.load(new ConfigInputs(dataDir, dataDir, null, Map.of(), flags));
    }
}
