package dev.shammah;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;

import dev.shammah.api.StoreCheck;
import dev.shammah.config.ConfigException;
import dev.shammah.config.ShammahConfig;
import dev.shammah.learning.EmbeddedLearningStore;
import dev.shammah.learning.LearningStore;
import dev.shammah.local.ModelFingerprint;
import dev.shammah.metrics.ShammahMetrics;
import dev.shammah.metrics.Usage;
import dev.shammah.persist.NodeId;
import dev.shammah.persist.PrivateFiles;
import dev.shammah.session.SessionStore;
import dev.shammah.session.Sessions;
import dev.shammah.store.SharedStore;
import io.helidon.health.HealthCheck;

/**
 * Where learning, evidence and sessions live, as {@code store.kind} says, chosen once at start: this process and its
 * data dir (embedded), or PostgreSQL shared with other instances. Everything else is the same either way.
 */
final class Stores implements AutoCloseable {
    private final Sessions sessions;
    private final LearningStore learning;
    private final SharedStore shared;
    private final ShammahConfig config;

    private Stores(ShammahConfig config, Sessions sessions, LearningStore learning, SharedStore shared) {
        this.config = config;
        this.sessions = sessions;
        this.learning = learning;
        this.shared = shared;
    }

    /**
     * Creates the data dir, readable by this user only: prompts, answers and logs live there.
     *
     * @throws ConfigException when it cannot be created (exit 78)
     */
    static void createDataDir(Path dataDir) {
        try {
            PrivateFiles.createDirectories(dataDir);
            PrivateFiles.restrict(dataDir);
        } catch (IOException e) {
            throw new ConfigException("Invalid configuration: cannot create data-dir " + dataDir + " ("
                    + e.getMessage() + ")", e);
        }
    }

    static Stores open(ShammahConfig config, Clock clock, ShammahMetrics metrics) {
        if (config.store().shared()) {
            SharedStore shared = SharedStore.open(config, clock, metrics, metrics, "shammah " + Version.NUMBER + " on "
                    + config.server().bindAddress() + ", data " + config.dataDir());
            return new Stores(config, shared.sessions(), shared.learning(), shared);
        }
        // A turn waits for the one before it in the same session at most as long as an upstream answer may take.
        SessionStore sessions = new SessionStore(config.server().maxSessions(), config.server().maxSessionsPerClient(),
                config.server().sessionTimeout(), config.upstream().timeout(), clock, metrics);
        return new Stores(config, sessions, new EmbeddedLearningStore(config.dataDir(),
                config.learning().commitInterval()), null);
    }

    Sessions sessions() {
        return sessions;
    }

    /** Closed by the learning core, which writes its last evidence through it. */
    LearningStore learning() {
        return learning;
    }

    /** The shared store, or null when embedded. */
    SharedStore shared() {
        return shared;
    }

    /** Adds the other instances' usage to this one's reports and budgets, when the store is shared. */
    void shareUsage(Usage usage) {
        if (shared != null) {
            shared.shareUsage(usage, config.dataDir(), config.usage().keepDays());
        }
    }

    /** Instances sharing the rate limits: each enforces its share. */
    IntSupplier instances() {
        return shared == null ? () -> 1 : shared::liveInstances;
    }

    /** Readiness checks of the store: none for the embedded one. */
    List<HealthCheck> checks() {
        return shared == null ? List.of() : List.of(new StoreCheck(shared::status));
    }

    /**
     * What the user's model's evidence is kept under, given the adapter serving ("base" for none). In a data dir
     * of one's own the adapter's name is enough; in a shared store two instances share that evidence only when
     * they run the same model (its fingerprint), and never for adapters each trained on its own (node id).
     */
    UnaryOperator<String> modelVersion(Path modelDir) {
        return modelVersion(shared != null, modelDir, config.dataDir());
    }

    static UnaryOperator<String> modelVersion(boolean shared, Path modelDir, Path dataDir) {
        if (!shared || modelDir == null) {
            return adapter -> adapter;
        }
        String model = ModelFingerprint.of(modelDir);
        String node = NodeId.of(dataDir);
        return adapter -> adapter.equals("base") ? model + ":base" : model + ":" + node + ":" + adapter;
    }

    @Override
    public void close() {
        if (shared != null) {
            shared.close();
        }
    }
}
