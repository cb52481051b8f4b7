package dev.shammah.config;

import java.util.List;
import java.util.Locale;

/** The keys Shammah reads; the one list the environment mapping and the docs follow. */
final class ConfigKeys {
    static final String BIND_ADDRESS = "server.bind-address";
    static final String MAX_SESSIONS = "server.max-sessions";
    static final String SESSION_TIMEOUT_MINUTES = "server.session-timeout-minutes";
    static final String REAPER_INTERVAL = "server.reaper-interval";
    static final String AUTH_ENABLED = "server.auth-enabled";
    static final String API_KEYS = "server.api-keys";
    static final String MAX_BODY_BYTES = "server.max-body-bytes";
    static final String UPSTREAM_BASE_URL = "upstream.base-url";
    static final String UPSTREAM_API_KEY = "upstream.api-key";
    static final String UPSTREAM_TIMEOUT = "upstream.timeout";
    static final String UPSTREAM_CONNECT_TIMEOUT = "upstream.connect-timeout";
    static final String UPSTREAM_ANTHROPIC_VERSION = "upstream.anthropic-version";
    static final String UPSTREAM_FORWARD_CLIENT_KEY = "upstream.forward-client-key";
    static final String UPSTREAM_MAX_RETRIES = "upstream.max-retries";
    static final String UPSTREAM_RETRY_DELAY = "upstream.retry-delay";
    static final String UPSTREAM_MODELS_CACHE_TTL = "upstream.models-cache-ttl";
    static final String CLI_MODEL = "cli.model";
    static final String CLI_MAX_TOKENS = "cli.max-tokens";
    static final String DATA_DIR = "data-dir";

    static final List<String> ALL = List.of(BIND_ADDRESS, MAX_SESSIONS, SESSION_TIMEOUT_MINUTES, REAPER_INTERVAL,
            AUTH_ENABLED, API_KEYS, MAX_BODY_BYTES, UPSTREAM_BASE_URL, UPSTREAM_API_KEY, UPSTREAM_TIMEOUT,
            UPSTREAM_CONNECT_TIMEOUT, UPSTREAM_ANTHROPIC_VERSION, UPSTREAM_FORWARD_CLIENT_KEY, UPSTREAM_MAX_RETRIES,
            UPSTREAM_RETRY_DELAY, UPSTREAM_MODELS_CACHE_TTL, CLI_MODEL, CLI_MAX_TOKENS, DATA_DIR);

    private ConfigKeys() {
    }

    /** {@code server.bind-address} → {@code SHAMMAH_SERVER_BIND_ADDRESS}. */
    static String envName(String key) {
        return "SHAMMAH_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
