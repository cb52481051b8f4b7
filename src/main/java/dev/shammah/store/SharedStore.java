package dev.shammah.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import dev.shammah.config.ConfigException;
import dev.shammah.config.ShammahConfig;
import dev.shammah.config.StoreSettings;
import dev.shammah.learning.LearningStore;
import dev.shammah.local.TeacherMemory;
import dev.shammah.metrics.ShammahMetrics;
import dev.shammah.metrics.Usage;
import dev.shammah.persist.NodeId;
import dev.shammah.persist.PrivateFiles;
import dev.shammah.persist.Trees;
import dev.shammah.session.SessionListener;
import dev.shammah.session.Sessions;

/**
 * {@code store.kind: postgres}, assembled: the database, this instance's place among the others, the learning
 * store with its local copies and their follower, and the shared sessions. At start the local memory is rebuilt
 * from the exchanges table ({@code data-dir/replica} is a derived copy, emptied first) and the evidence read whole;
 * if the database cannot be reached the instance starts anyway and forwards everything until it can.
 */
public final class SharedStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SharedStore.class.getName());
    /** How long start-up waits for the first catch-up before serving (forwarding meanwhile). */
    private static final Duration FIRST_CATCH_UP = Duration.ofSeconds(60);

    private final Database db;
    private final Instances instances;
    private final Follower follower;
    private final SharedLearningStore learning;
    private final SharedSessions sessions;
    private final EvidenceOutbox outbox;
    private final Soon urgent;
    private final Clock clock;
    /** Usage shared with the other instances, once {@link #shareUsage} was called. */
    private SharedUsage usage;

    private SharedStore(Database db, Instances instances, Follower follower, SharedLearningStore learning,
                        SharedSessions sessions, EvidenceOutbox outbox, Soon urgent, Clock clock) {
        this.clock = clock;
        this.db = db;
        this.instances = instances;
        this.follower = follower;
        this.learning = learning;
        this.sessions = sessions;
        this.outbox = outbox;
        this.urgent = urgent;
    }

    /**
     * Opens the store {@code config.store()} names.
     *
     * @throws ConfigException when the database refuses this configuration (password, database, schema version)
     */
    public static SharedStore open(ShammahConfig config, Clock clock, ShammahMetrics metrics, SessionListener listener,
                                   String description) {
        StoreSettings settings = config.store();
        Database db = new Database(settings);
        String unreachable = firstContact(db, settings);
        Instances instances = new Instances(db, description);
        TeacherMemory memory = new TeacherMemory(freshReplica(config.dataDir()), config.learning().commitInterval());
        EvidenceOutbox outbox = new EvidenceOutbox();
        LocalCopies copies = new LocalCopies(instances.id(), memory, outbox, ConcurrentHashMap.newKeySet(),
                metrics::storeCatchUp);
        Changes changes = new Changes(db, instances.id());
        Follower follower = new Follower(changes, copies, outbox, unreachable);
        // A failure or a blocked shape is what stops the other instances serving an answer: written at once.
        Soon urgent = new Soon("shammah-store-verdicts", Duration.ZERO, () -> {
            try {
                outbox.flush(changes);
            } catch (StoreUnavailable e) {
                follower.failed(e);
            }
        });
        outbox.onUrgent(urgent::ask);
        SharedLearningStore learning = new SharedLearningStore(changes, copies, outbox, follower,
                config.learning().storeText(), metrics::storeDropped);
        SharedSessions sessions = new SharedSessions(db, instances.id(), follower, config.server().maxSessions(),
                config.server().maxSessionsPerClient(), config.server().sessionTimeout(), config.upstream().timeout(),
                settings.outageWait(), clock, listener);
        // Serving starts once the local copy is rebuilt — unless the store is out of reach: then at once, forwarding.
        follower.start(unreachable == null ? FIRST_CATCH_UP : Duration.ZERO);
        SharedStore store = new SharedStore(db, instances, follower, learning, sessions, outbox, urgent,
                clock);
        metrics.bindStore(follower::current, instances::live, outbox::size);
        return store;
    }

    /**
     * Checks the schema if the database answers; returns null then, else why it could not be reached. A refusal
     * of this configuration is exit 78; a database out of reach is an outage (this instance forwards until it is
     * back, and checks the schema then).
     */
    private static String firstContact(Database db, StoreSettings settings) {
        try (Connection c = db.connection()) {
            Schema.check(db.dataSource(), settings.url());
            return null;
        } catch (SQLException | RuntimeException e) {
            if (e instanceof ConfigException || Database.misconfigured(e)) {
                db.close();
                throw e instanceof ConfigException ce ? ce : new ConfigException("Invalid configuration: the "
                        + "database at store.url " + settings.url() + " refused this configuration ("
                        + Database.describe(e) + "); check store.user, store.password and the database name", e);
            }
            LOG.warning("Shared store at " + settings.url() + " is out of reach (" + Database.describe(e)
                    + "); starting anyway and forwarding every request until it is back");
            return Database.describe(e);
        }
    }

    /** {@code data-dir/replica/memory}, emptied: the local memory is a copy, rebuilt from the table at every start. */
    private static Path freshReplica(Path dataDir) {
        Path dir = dataDir.resolve("replica").resolve("memory");
        try {
            Trees.delete(dir);
            PrivateFiles.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the local copy of the shared store in " + dir, e);
        }
    }

    /**
     * Writes {@code usage} to the store and counts the other instances' into its reports and budgets, from now until
     * {@link #close}; {@code dataDir}'s node id names this instance's rows (the same after a restart, so rows read
     * back from the data dir replace, not add to, what it wrote before).
     */
    public synchronized void shareUsage(Usage usage, Path dataDir, int keepDays) {
        if (this.usage == null) {
            this.usage = new SharedUsage(db, NodeId.of(dataDir), usage, clock, keepDays);
        }
    }

    public LearningStore learning() {
        return learning;
    }

    public Sessions sessions() {
        return sessions;
    }

    /** Live instances sharing the store, this one included. */
    public int liveInstances() {
        return instances.live();
    }

    public StoreStatus status() {
        return new StoreStatus(follower.current(), follower.problem(), follower.caughtUpAt(), follower.lastLag(),
                instances.live(), follower.applied(), outbox.size(), learning.dropped(), sessions.keptHere());
    }

    /**
     * Stops what the learning store does not own (the learning store is closed by the learning core, which
     * writes its last counts through it first).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (usage != null) {
                usage.close();
            }
        }
        sessions.close();
        urgent.close();
        instances.close();
        db.close();
    }
}
