package dev.shammah;

import java.time.Clock;
import java.time.Instant;

import dev.shammah.api.ApiKeys;
import dev.shammah.api.HttpApi;
import dev.shammah.api.ServerSetup;
import dev.shammah.config.ShammahConfig;
import dev.shammah.engine.Engine;
import dev.shammah.engine.LocalModels;
import dev.shammah.engine.UserModels;
import dev.shammah.learning.BudgetedTeacher;
import dev.shammah.learning.Learning;
import dev.shammah.local.OnnxEncoder;
import dev.shammah.local.NativeThreads;
import dev.shammah.local.hf.HfGenerator;
import dev.shammah.metrics.AuditLog;
import dev.shammah.metrics.Budgets;
import dev.shammah.metrics.RequestLog;
import dev.shammah.metrics.ShammahMetrics;
import dev.shammah.metrics.Usage;
import dev.shammah.metrics.UsageFiles;
import dev.shammah.session.SessionReaper;
import dev.shammah.session.Sessions;
import dev.shammah.store.SharedStore;
import dev.shammah.upstream.ClaudeClient;
import dev.shammah.upstream.ModelCatalog;
import io.helidon.webserver.WebServerConfig;

/**
 * Every long-lived object of a running Shammah, wired by hand. The daemon serves it over HTTP; {@code query}
 * and the REPL use {@link #engine()} directly. Tests build one with their own config and clock.
 */
public final class App implements AutoCloseable {
    private final ShammahConfig config;
    private final Stores stores;
    private final Sessions sessions;
    private final SessionReaper reaper;
    private final Engine engine;
    private final Learning learning;
    private final RequestLog requestLog;
    private final AuditLog audit;
    private final UsageFiles usageFiles;
    private final HttpApi http;

    private App(ShammahConfig config, Clock clock) {
        Stores.createDataDir(config.dataDir());
        this.config = config;
        // Everything a configuration can get wrong is found here, before anything listens (exit 78).
        ApiKeys apiKeys = ApiKeys.of(config.server());
        if (config.server().tls().enabled()) {
            ServerSetup.keyAlias(config.server().tls());
        }
        Instant startedAt = clock.instant();
        ShammahMetrics metrics = new ShammahMetrics();
        ClaudeClient upstream = new ClaudeClient(config.upstream());
        this.requestLog = new RequestLog(config.dataDir());
        NativeThreads.pin();
        // A model folder that cannot be loaded is exit 78: found before the store opens anything to close.
        LocalModels localModels = UserModels.load(config.learning());
        HfGenerator generator = localModels.generator();
        this.stores = Stores.open(config, clock, metrics);
        this.sessions = stores.sessions();
        metrics.bindActiveSessions(sessions::size);
        this.reaper = new SessionReaper(sessions, config.server().reaperInterval());
        Usage usage = new Usage(config.learning().inputPrice(), config.learning().outputPrice());
        this.usageFiles = UsageFiles.open(usage, config.dataDir(), clock, config.usage().keepDays());
        stores.shareUsage(usage);
        Budgets budgets = new Budgets(config.usage().budgets(), usage, clock);
        this.learning = Learning.create(config.learning(), stores.learning(), config.dataDir(),
                OnnxEncoder.miniLm(), localModels, requestLog, metrics, clock,
                new BudgetedTeacher(upstream, budgets, usage, metrics, clock),
                stores.modelVersion(generator == null ? null : generator.directory()));
        this.engine = new Engine(sessions, upstream, localModels, learning, requestLog, metrics, clock,
                config.learning().storeText(), config.server().maxBodyBytes(), usage, budgets);
        this.audit = config.server().auditLog() ? new AuditLog(config.dataDir()) : null;
        this.http = new HttpApi(config, clock, startedAt, apiKeys, metrics, audit, new HttpApi.Parts(engine, learning,
                upstream, new ModelCatalog(upstream, localModels.listed(startedAt), clock), sessions, usage, budgets,
                stores.instances(), stores.checks()));
    }

    public static App create(ShammahConfig config, Clock clock) {
        return new App(config, clock);
    }

    public ShammahConfig config() {
        return config;
    }

    public Engine engine() {
        return engine;
    }

    public Learning learning() {
        return learning;
    }

    public Sessions sessions() {
        return sessions;
    }

    /** The shared store when {@code store.kind: postgres}; null when embedded. */
    public SharedStore sharedStore() {
        return stores.shared();
    }

    /** Server-level setup: bind address, TLS, connection handling, the routes, /metrics and health. */
    public void configureServer(WebServerConfig.Builder server) {
        http.configure(server);
    }

    /**
     * Writes the request and audit lines queued so far (they are written off the request's thread, in groups):
     * what a reader of the files in this process waits for. A clean stop ({@link #close()}) flushes too.
     */
    public void flushLogs() {
        requestLog.flush();
        if (audit != null) {
            audit.flush();
        }
    }

    /**
     * Shutdown, first half: refuse new API requests and wait (at most {@code server.drain-timeout}) for those
     * in flight, streams included, to finish. Then stop the web server and {@link #close()}.
     */
    public boolean drain() {
        return http.drain();
    }

    @Override
    public void close() {
        reaper.close();
        // Learning last writes shadow lines to the request log: close the logs after it.
        learning.close();
        usageFiles.close();
        stores.close();
        requestLog.close();
        if (audit != null) {
            audit.close();
        }
    }
}
