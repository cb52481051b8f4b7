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
    static final String API_KEYS_FILE = "server.api-keys-file";
    static final String ADMIN_KEYS = "server.admin-keys";
    static final String MAX_MESSAGES = "server.max-messages";
    static final String MAX_CONTENT_BLOCKS = "server.max-content-blocks";
    static final String MAX_TOKENS_REQUESTED = "server.max-tokens-requested";
    static final String MAX_JSON_DEPTH = "server.max-json-depth";
    static final String RATE_REQUESTS = "server.rate-limit.requests-per-minute";
    static final String RATE_TOKENS = "server.rate-limit.tokens-per-minute";
    static final String DRAIN_TIMEOUT = "server.drain-timeout";
    static final String TLS_ENABLED = "server.tls.enabled";
    static final String TLS_KEYSTORE = "server.tls.keystore";
    static final String TLS_PASSPHRASE = "server.tls.keystore-passphrase";
    static final String AUDIT_LOG = "server.audit-log";
    static final String READ_TIMEOUT = "server.read-timeout";
    static final String ALLOWED_HOSTS = "server.allowed-hosts";
    static final String ALLOWED_ORIGINS = "server.allowed-origins";
    static final String MAX_SESSIONS_PER_CLIENT = "server.max-sessions-per-client";
    static final String BREAKER_VOLUME = "upstream.circuit-breaker.volume";
    static final String BREAKER_ERROR_RATIO = "upstream.circuit-breaker.error-ratio";
    static final String BREAKER_DELAY = "upstream.circuit-breaker.delay";
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
    static final String CLI_MAX_TOOL_ITERATIONS = "cli.max-tool-iterations";
    static final String CLI_TOOL_TIMEOUT = "cli.tool-timeout";
    static final String CLI_DAEMON = "cli.daemon";
    static final String DATA_DIR = "data-dir";
    static final String LEARNING_ENABLED = "learning.enabled";
    static final String LEARNING_MAX_WRONG_RATE = "learning.max-wrong-rate";
    static final String LEARNING_VERIFY_RATE = "learning.verify-rate";
    static final String LEARNING_VERIFY_PER_MINUTE = "learning.verify-per-minute";
    static final String LEARNING_COURTESY_PHRASES = "learning.courtesy-phrases";
    static final String LEARNING_TENANTS = "learning.tenants";
    static final String LEARNING_QUEUE_SIZE = "learning.queue-size";
    static final String LEARNING_COMMIT_INTERVAL = "learning.commit-interval";
    static final String LEARNING_SHADOW_RATE = "learning.shadow-rate";
    static final String LEARNING_OBSERVE_REWORDINGS = "learning.observe-rewordings";
    static final String LEARNING_SERVE_REWORDINGS = "learning.serve-rewordings";
    static final String LEARNING_VALIDATOR_PASS_SCORE = "learning.validator-pass-score";
    static final String LEARNING_SAFETY_KEYWORDS = "learning.safety-keywords";
    static final String LEARNING_SAFETY_EXAMPLES = "learning.safety-examples";
    static final String LEARNING_SAFETY_THRESHOLD = "learning.safety-threshold";
    static final String MODEL_PERMITS = "model.permits";
    static final String MODEL_MAX_WAIT = "model.max-wait";
    static final String PRICE_INPUT = "pricing.input-per-mtok";
    static final String PRICE_OUTPUT = "pricing.output-per-mtok";
    static final String LOG_STORE_TEXT = "log.store-text";
    static final String USAGE_KEEP_DAYS = "usage.keep-days";
    static final String USAGE_DEFAULT_BUDGET_DOLLARS = "usage.default-budget.dollars";
    static final String USAGE_DEFAULT_BUDGET_PERIOD = "usage.default-budget.period";
    static final String USAGE_BUDGET_WARN_AT = "usage.budget-warn-at";
    static final String MODEL_PATH = "model.path";
    static final String MODEL_END_TOKEN = "model.end-token";
    static final String MODEL_MAX_NEW_TOKENS = "model.max-new-tokens";
    static final String MODEL_SHADOW_RATE = "model.shadow-rate";
    static final String LORA_ENABLED = "model.lora.enabled";
    static final String LORA_RANK = "model.lora.rank";
    static final String LORA_ALPHA = "model.lora.alpha";
    static final String LORA_TARGETS = "model.lora.targets";
    static final String LORA_BATCH_SIZE = "model.lora.batch-size";
    static final String LORA_STEPS_PER_BATCH = "model.lora.steps-per-batch";
    static final String LORA_LEARNING_RATE = "model.lora.learning-rate";
    static final String LORA_MAX_TOKENS = "model.lora.max-tokens";
    static final String LORA_KEEP = "model.lora.keep";
    static final String MODEL_DEVICE = "model.device";
    static final String STORE_KIND = "store.kind";
    static final String STORE_URL = "store.url";
    static final String STORE_USER = "store.user";
    static final String STORE_PASSWORD = "store.password";
    static final String STORE_PASSWORD_FILE = "store.password-file";
    static final String STORE_POOL_SIZE = "store.pool-size";
    static final String STORE_POLL_INTERVAL = "store.poll-interval";
    static final String STORE_OUTAGE_WAIT = "store.outage-wait";

    static final List<String> ALL = List.of(BIND_ADDRESS, MAX_SESSIONS, SESSION_TIMEOUT_MINUTES, REAPER_INTERVAL,
            AUTH_ENABLED, API_KEYS, MAX_BODY_BYTES, API_KEYS_FILE, ADMIN_KEYS, MAX_MESSAGES, MAX_CONTENT_BLOCKS,
            MAX_TOKENS_REQUESTED, MAX_JSON_DEPTH, RATE_REQUESTS, RATE_TOKENS, DRAIN_TIMEOUT, TLS_ENABLED, TLS_KEYSTORE,
            TLS_PASSPHRASE, AUDIT_LOG, READ_TIMEOUT, ALLOWED_HOSTS, ALLOWED_ORIGINS, MAX_SESSIONS_PER_CLIENT, BREAKER_VOLUME, BREAKER_ERROR_RATIO, BREAKER_DELAY, UPSTREAM_BASE_URL, UPSTREAM_API_KEY, UPSTREAM_TIMEOUT,
            UPSTREAM_CONNECT_TIMEOUT, UPSTREAM_ANTHROPIC_VERSION, UPSTREAM_FORWARD_CLIENT_KEY, UPSTREAM_MAX_RETRIES,
            UPSTREAM_RETRY_DELAY, UPSTREAM_MODELS_CACHE_TTL, CLI_MODEL, CLI_MAX_TOKENS, CLI_MAX_TOOL_ITERATIONS, CLI_TOOL_TIMEOUT, CLI_DAEMON, DATA_DIR,
            LEARNING_ENABLED, LEARNING_MAX_WRONG_RATE, LEARNING_VERIFY_RATE, LEARNING_VERIFY_PER_MINUTE, LEARNING_COURTESY_PHRASES,
            LEARNING_QUEUE_SIZE, LEARNING_COMMIT_INTERVAL, LEARNING_SHADOW_RATE, LEARNING_OBSERVE_REWORDINGS, LEARNING_SERVE_REWORDINGS, LEARNING_VALIDATOR_PASS_SCORE, LEARNING_SAFETY_KEYWORDS, LEARNING_SAFETY_EXAMPLES,
            LEARNING_SAFETY_THRESHOLD, MODEL_PERMITS, MODEL_MAX_WAIT, PRICE_INPUT, PRICE_OUTPUT, LOG_STORE_TEXT,
            MODEL_PATH, MODEL_END_TOKEN, MODEL_MAX_NEW_TOKENS, MODEL_SHADOW_RATE, LORA_ENABLED, LORA_RANK, LORA_ALPHA, LORA_TARGETS, LORA_BATCH_SIZE, LORA_STEPS_PER_BATCH, LORA_LEARNING_RATE, LORA_MAX_TOKENS, LORA_KEEP, MODEL_DEVICE,
            USAGE_KEEP_DAYS, USAGE_DEFAULT_BUDGET_DOLLARS, USAGE_DEFAULT_BUDGET_PERIOD,
            USAGE_BUDGET_WARN_AT, STORE_KIND, STORE_URL, STORE_USER, STORE_PASSWORD, STORE_PASSWORD_FILE, STORE_POOL_SIZE, STORE_POLL_INTERVAL,
            STORE_OUTAGE_WAIT);

    private ConfigKeys() {
    }

    /** {@code server.bind-address} → {@code SHAMMAH_SERVER_BIND_ADDRESS}. */
    static String envName(String key) {
        return "SHAMMAH_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
