package dev.shammah.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Everything the layered configuration is read from, so tests can set each layer without touching the
 * real home directory or environment.
 *
 * @param installDir   directory holding the shipped {@code etc/shammah.yaml}
 * @param userHome     the user's home; {@code ~/.shammah/config.yaml} is read from it
 * @param explicitFile the {@code --config FILE}, or {@code null}
 * @param env          environment variables
 * @param flags        command-line overrides keyed by config key (e.g. {@code server.bind-address})
 */
public record ConfigInputs(Path installDir, Path userHome, Path explicitFile, Map<String, String> env,
                           Map<String, String> flags) {
    public ConfigInputs {
        env = Map.copyOf(env);
        flags = Map.copyOf(flags);
    }
}
