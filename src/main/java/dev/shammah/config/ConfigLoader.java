package dev.shammah.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;

/**
 * Builds {@link ShammahConfig} from its layers, highest priority first: CLI flags → environment →
 * {@code --config FILE} → {@code ~/.shammah/config.yaml} → {@code etc/shammah.yaml} → built-in defaults.
 * Every value is checked here, so a bad one stops start-up with a message naming its key.
 */
public final class ConfigLoader {
    static final String DEFAULTS_RESOURCE = "shammah-defaults.yaml";

    private ConfigLoader() {
    }

    public static ShammahConfig load(ConfigInputs inputs) {
        if (inputs.explicitFile() != null && !Files.isRegularFile(inputs.explicitFile())) {
            throw new ConfigException("Config file given with --config does not exist: " + inputs.explicitFile());
        }
        List<Supplier<? extends ConfigSource>> sources = new ArrayList<>();
        // Where each layer comes from, in the same order: what an error in it is reported against.
        List<String> names = new ArrayList<>();
        sources.add(ConfigSources.create(inputs.flags()).name("command line"));
        names.add("the command line");
        sources.add(ConfigSources.create(fromEnvironment(inputs.env())).name("environment"));
        names.add("the environment");
        if (inputs.explicitFile() != null) {
            sources.add(ConfigSources.file(inputs.explicitFile()));
            names.add(inputs.explicitFile().toString());
        }
        Path userFile = inputs.userHome().resolve(".shammah").resolve("config.yaml");
        sources.add(ConfigSources.file(userFile).optional());
        names.add(userFile.toString());
        Path etcFile = inputs.installDir().resolve("etc").resolve("shammah.yaml");
        sources.add(ConfigSources.file(etcFile).optional());
        names.add(etcFile.toString());
        sources.add(ConfigSources.classpath(DEFAULTS_RESOURCE));
        names.add("the built-in defaults");

        List<Config> layers = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            try {
                layers.add(Config.builder()
                        .disableEnvironmentVariablesSource()
                        .disableSystemPropertiesSource()
                        .sources(List.of(sources.get(i)))
                        .build());
            } catch (RuntimeException e) {
                throw new ConfigException("Cannot read configuration from " + names.get(i) + ": " + e.getMessage(), e);
            }
        }
        // The files a person writes (not the command line and environment, which only map known keys, nor the
        // built-in defaults): a key in them that nothing reads is a typo, said at once.
        for (int i = 2; i < layers.size() - 1; i++) {
            UnknownKeys.check(layers.get(i), names.get(i));
        }
        return read(new ConfigReader(layers), inputs.userHome());
    }

    /** Maps {@code SHAMMAH_*} variables (and {@code ANTHROPIC_API_KEY}) onto config keys. */
    static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        // ANTHROPIC_BASE_URL is deliberately not read: clients set it to point at Shammah itself, and
        // honouring it here would make Shammah forward to itself.
        String anthropicKey = env.get("ANTHROPIC_API_KEY");
        if (anthropicKey != null && !anthropicKey.isBlank()) {
            values.put(ConfigKeys.UPSTREAM_API_KEY, anthropicKey);
        }
        for (String key : ConfigKeys.ALL) {
            String value = env.get(ConfigKeys.envName(key));
            if (value != null) {
                values.put(key, value);
            }
        }
        return values;
    }

    private static ShammahConfig read(ConfigReader r, Path userHome) {
        String bind = r.string(ConfigKeys.BIND_ADDRESS);
        int colon = bind.lastIndexOf(':');
        if (colon <= 0 || colon == bind.length() - 1) {
            throw new ConfigException("Invalid configuration: " + ConfigKeys.BIND_ADDRESS
                    + " must be HOST:PORT, e.g. 127.0.0.1:8000 (got '" + bind + "')");
        }
        String host = bind.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = ConfigReader.intIn(ConfigKeys.BIND_ADDRESS, bind.substring(colon + 1), 0, 65535);

        ServerSettings server = new ServerSettings(
                host,
                port,
                r.integer(ConfigKeys.MAX_SESSIONS, 1, Integer.MAX_VALUE),
                Duration.ofMinutes(r.integer(ConfigKeys.SESSION_TIMEOUT_MINUTES, 1, Integer.MAX_VALUE)),
                positive(ConfigKeys.REAPER_INTERVAL, r.duration(ConfigKeys.REAPER_INTERVAL)),
                r.bool(ConfigKeys.AUTH_ENABLED),
                r.list(ConfigKeys.API_KEYS),
                r.integer(ConfigKeys.MAX_BODY_BYTES, 1024, Integer.MAX_VALUE),
                optionalFile(ConfigKeys.API_KEYS_FILE, r.string(ConfigKeys.API_KEYS_FILE), userHome),
                r.list(ConfigKeys.ADMIN_KEYS),
                new ServerSettings.Limits(
                        r.integer(ConfigKeys.MAX_MESSAGES, 1, Integer.MAX_VALUE),
                        r.integer(ConfigKeys.MAX_CONTENT_BLOCKS, 1, Integer.MAX_VALUE),
                        r.integer(ConfigKeys.MAX_TOKENS_REQUESTED, 1, Integer.MAX_VALUE),
                        r.integer(ConfigKeys.MAX_JSON_DEPTH, 4, 10_000),
                        r.integer(ConfigKeys.RATE_REQUESTS, 0, Integer.MAX_VALUE),
                        r.integer(ConfigKeys.RATE_TOKENS, 0, Integer.MAX_VALUE)),
                positive(ConfigKeys.DRAIN_TIMEOUT, r.duration(ConfigKeys.DRAIN_TIMEOUT)),
                new ServerSettings.TlsSettings(r.bool(ConfigKeys.TLS_ENABLED),
                        optionalFile(ConfigKeys.TLS_KEYSTORE, r.string(ConfigKeys.TLS_KEYSTORE), userHome),
                        r.string(ConfigKeys.TLS_PASSPHRASE)),
                r.bool(ConfigKeys.AUDIT_LOG),
                new ServerSettings.Network(positive(ConfigKeys.READ_TIMEOUT, r.duration(ConfigKeys.READ_TIMEOUT)),
                        r.list(ConfigKeys.ALLOWED_HOSTS), r.list(ConfigKeys.ALLOWED_ORIGINS)),
                r.integer(ConfigKeys.MAX_SESSIONS_PER_CLIENT, 1, Integer.MAX_VALUE));
        if (server.tls().enabled() && server.tls().keystore() == null) {
            throw new ConfigException("Invalid configuration: " + ConfigKeys.TLS_ENABLED + " is true but "
                    + ConfigKeys.TLS_KEYSTORE + " names no keystore");
        }
        if (server.authEnabled() && server.apiKeys().isEmpty() && server.apiKeysFile() == null) {
            throw new ConfigException("Invalid configuration: " + ConfigKeys.AUTH_ENABLED + " is true but "
                    + ConfigKeys.API_KEYS + " is empty: no client could ever authenticate");
        }

        UpstreamSettings upstream = new UpstreamSettings(
                url(ConfigKeys.UPSTREAM_BASE_URL, r.string(ConfigKeys.UPSTREAM_BASE_URL)),
                r.string(ConfigKeys.UPSTREAM_API_KEY).trim(),
                positive(ConfigKeys.UPSTREAM_TIMEOUT, r.duration(ConfigKeys.UPSTREAM_TIMEOUT)),
                positive(ConfigKeys.UPSTREAM_CONNECT_TIMEOUT, r.duration(ConfigKeys.UPSTREAM_CONNECT_TIMEOUT)),
                r.string(ConfigKeys.UPSTREAM_ANTHROPIC_VERSION),
                r.bool(ConfigKeys.UPSTREAM_FORWARD_CLIENT_KEY),
                r.integer(ConfigKeys.UPSTREAM_MAX_RETRIES, 0, 10),
                positive(ConfigKeys.UPSTREAM_RETRY_DELAY, r.duration(ConfigKeys.UPSTREAM_RETRY_DELAY)),
                positive(ConfigKeys.UPSTREAM_MODELS_CACHE_TTL, r.duration(ConfigKeys.UPSTREAM_MODELS_CACHE_TTL)),
                r.integer(ConfigKeys.BREAKER_VOLUME, 1, 10_000),
                r.integer(ConfigKeys.BREAKER_ERROR_RATIO, 1, 100),
                positive(ConfigKeys.BREAKER_DELAY, r.duration(ConfigKeys.BREAKER_DELAY)));

        CliSettings cli = new CliSettings(r.string(ConfigKeys.CLI_MODEL),
                r.integer(ConfigKeys.CLI_MAX_TOKENS, 1, Integer.MAX_VALUE),
                r.integer(ConfigKeys.CLI_MAX_TOOL_ITERATIONS, 1, 1000),
                positive(ConfigKeys.CLI_TOOL_TIMEOUT, r.duration(ConfigKeys.CLI_TOOL_TIMEOUT)),
                r.string(ConfigKeys.CLI_DAEMON).isBlank() ? null
                        : url(ConfigKeys.CLI_DAEMON, r.string(ConfigKeys.CLI_DAEMON)));

        String dataDir = r.string(ConfigKeys.DATA_DIR);
        if (dataDir.isBlank()) {
            throw new ConfigException("Invalid configuration: " + ConfigKeys.DATA_DIR + " must not be empty");
        }
        Path dataPath = dataDir.equals("~") || dataDir.startsWith("~/")
                ? userHome.resolve(dataDir.substring(Math.min(2, dataDir.length())))
                : Path.of(dataDir);
        LearningSettings learning = new LearningSettings(
                r.bool(ConfigKeys.LEARNING_ENABLED),
                maxWrongRate(r),
                r.fraction(ConfigKeys.LEARNING_VERIFY_RATE),
                r.integer(ConfigKeys.LEARNING_VERIFY_PER_MINUTE, 1, 1_000_000),
                r.fraction(ConfigKeys.LEARNING_SHADOW_RATE),
                r.list(ConfigKeys.LEARNING_COURTESY_PHRASES),
                TenantGroups.read(r.node(ConfigKeys.LEARNING_TENANTS)),
                r.integer(ConfigKeys.LEARNING_QUEUE_SIZE, 1, 1_000_000),
                positive(ConfigKeys.LEARNING_COMMIT_INTERVAL, r.duration(ConfigKeys.LEARNING_COMMIT_INTERVAL)),
                r.fraction(ConfigKeys.LEARNING_VALIDATOR_PASS_SCORE),
                r.list(ConfigKeys.LEARNING_SAFETY_KEYWORDS),
                r.list(ConfigKeys.LEARNING_SAFETY_EXAMPLES),
                r.fraction(ConfigKeys.LEARNING_SAFETY_THRESHOLD),
                r.integer(ConfigKeys.MODEL_PERMITS, 1, 1024),
                r.duration(ConfigKeys.MODEL_MAX_WAIT),
                r.nonNegative(ConfigKeys.PRICE_INPUT),
                r.nonNegative(ConfigKeys.PRICE_OUTPUT),
                r.bool(ConfigKeys.LOG_STORE_TEXT),
                gpu(r),
                userModelPath(r.string(ConfigKeys.MODEL_PATH), userHome),
                r.string(ConfigKeys.MODEL_END_TOKEN),
                r.integer(ConfigKeys.MODEL_MAX_NEW_TOKENS, 1, 1_000_000),
                r.fraction(ConfigKeys.MODEL_SHADOW_RATE),
                lora(r),
                r.bool(ConfigKeys.LEARNING_OBSERVE_REWORDINGS),
                r.bool(ConfigKeys.LEARNING_SERVE_REWORDINGS));
        return new ShammahConfig(server, upstream, cli, learning, dataPath.toAbsolutePath().normalize(),
                StoreSettings.read(r, userHome), new UsageSettings(r.integer(ConfigKeys.USAGE_KEEP_DAYS, 1, 36_500),
                BudgetSettings.read(r)));
    }

    /** A bound above 0 (0 would forbid every local answer: use learning.enabled for that) and at most 0.5. */
    private static double maxWrongRate(ConfigReader r) {
        double d = r.fraction(ConfigKeys.LEARNING_MAX_WRONG_RATE);
        if (d <= 0 || d > 0.5) {
            throw new ConfigException("Invalid configuration: " + ConfigKeys.LEARNING_MAX_WRONG_RATE
                    + " must be above 0 and at most 0.5 (got '" + r.string(ConfigKeys.LEARNING_MAX_WRONG_RATE)
                    + "'); to answer nothing locally set learning.enabled: false");
        }
        return d;
    }

    /** An existing file named by {@code key}, or null when the value is empty. */
    private static Path optionalFile(String key, String text, Path userHome) {
        if (text.isBlank()) {
            return null;
        }
        Path p = text.equals("~") || text.startsWith("~/") ? userHome.resolve(text.substring(Math.min(2, text.length())))
                : Path.of(text);
        if (!Files.isRegularFile(p)) {
            throw new ConfigException("Invalid configuration: " + key + " names no readable file (got '" + text + "')");
        }
        return p.toAbsolutePath().normalize();
    }

    private static Path userModelPath(String text, Path userHome) {
        if (text.isBlank()) {
            return null;
        }
        Path p = text.equals("~") || text.startsWith("~/") ? userHome.resolve(text.substring(Math.min(2, text.length())))
                : Path.of(text);
        if (!Files.isDirectory(p)) {
            throw new ConfigException("Invalid configuration: " + ConfigKeys.MODEL_PATH + " must be a directory holding "
                    + "a Hugging Face model (config.json, model.safetensors, tokenizer.json) or a TorchScript .pt file "
                    + "and tokenizer.json (got '" + text + "')");
        }
        return p.toAbsolutePath().normalize();
    }

    private static LoraSettings lora(ConfigReader r) {
        List<String> targets = r.list(ConfigKeys.LORA_TARGETS);
        for (String t : targets) {
            if (!List.of("q_proj", "k_proj", "v_proj", "o_proj").contains(t)) {
                throw new ConfigException("Invalid configuration: " + ConfigKeys.LORA_TARGETS + " may name q_proj, "
                        + "k_proj, v_proj and o_proj (got '" + t + "')");
            }
        }
        if (targets.isEmpty()) {
            throw new ConfigException("Invalid configuration: " + ConfigKeys.LORA_TARGETS + " needs at least one "
                    + "projection");
        }
        return new LoraSettings(r.bool(ConfigKeys.LORA_ENABLED), r.integer(ConfigKeys.LORA_RANK, 1, 1024),
                r.nonNegative(ConfigKeys.LORA_ALPHA), targets, r.integer(ConfigKeys.LORA_BATCH_SIZE, 1, 4096),
                r.integer(ConfigKeys.LORA_STEPS_PER_BATCH, 1, 1000), r.nonNegative(ConfigKeys.LORA_LEARNING_RATE),
                r.integer(ConfigKeys.LORA_MAX_TOKENS, 8, 1_000_000), r.integer(ConfigKeys.LORA_KEEP, 1, 1000));
    }

    /** {@code model.device}: cpu, or gpu/auto for a GPU when DJL finds one (the CPU otherwise). */
    private static boolean gpu(ConfigReader r) {
        String device = r.string(ConfigKeys.MODEL_DEVICE).trim().toLowerCase(Locale.ROOT);
        if (!device.equals("cpu") && !device.equals("gpu") && !device.equals("auto")) {
            throw new ConfigException("Invalid configuration: " + ConfigKeys.MODEL_DEVICE + " must be cpu, gpu or auto (got '"
                    + device + "')");
        }
        return !device.equals("cpu");
    }

    private static URI url(String key, String text) {
        try {
            URI uri = new URI(text.trim());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(text, "not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException("Invalid configuration: " + key + " must be an http(s) URL such as "
                    + "https://api.anthropic.com (got '" + text + "')");
        }
    }

    private static Duration positive(String key, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException("Invalid configuration: " + key + " must be longer than zero (got " + d + ")");
        }
        return d;
    }

}
