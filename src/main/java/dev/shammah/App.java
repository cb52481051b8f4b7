package dev.shammah;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.shammah.api.AccessFilter;
import dev.shammah.api.AdminService;
import dev.shammah.api.ApiKeys;
import dev.shammah.api.AuthFilter;
import dev.shammah.api.ChatCompletionsService;
import dev.shammah.api.DashboardService;
import dev.shammah.api.DrainingCheck;
import dev.shammah.api.ErrorResponses;
import dev.shammah.api.HealthService;
import dev.shammah.api.JsonBodies;
import dev.shammah.api.MessagesService;
import dev.shammah.api.ModelsService;
import dev.shammah.api.RateLimiter;
import dev.shammah.api.RequestGuard;
import dev.shammah.api.ServerSetup;
import dev.shammah.api.SessionService;
import dev.shammah.api.SessionsCheck;
import dev.shammah.api.TrainingService;
import dev.shammah.api.UsageService;
import dev.shammah.config.ServerSettings;
import dev.shammah.config.ShammahConfig;
import dev.shammah.engine.Engine;
import dev.shammah.engine.LocalModels;
import dev.shammah.engine.MessagesRequest;
import dev.shammah.engine.TokenCounter;
import dev.shammah.engine.UserModels;
import dev.shammah.errors.ShammahException;
import dev.shammah.learning.BudgetedTeacher;
import dev.shammah.learning.Learning;
import dev.shammah.local.MiniLmEncoder;
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
import dev.shammah.upstream.UpstreamReachability;
import io.helidon.health.HealthCheck;
import io.helidon.http.HttpException;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;

/**
 * Every long-lived object of a running Shammah, wired by hand. The daemon serves it over HTTP; {@code query}
 * and the REPL use {@link #engine()} directly. Tests build one with their own config and clock.
 */
public final class App implements AutoCloseable {
    private final ShammahConfig config;
    private final Clock clock;
    private final Instant startedAt;
    private final ShammahMetrics metrics;
    private final Sessions sessions;
    private final Stores stores;
    private final SessionReaper reaper;
    private final ClaudeClient upstream;
    private final Engine engine;
    private final Learning learning;
    private final List<HealthCheck> checks;
    private final ModelCatalog models;
    private final AccessFilter access;
    private final RequestLog requestLog;
    private final AuditLog audit;
    private final ApiKeys apiKeys;
    private final Usage usage;
    private final UsageFiles usageFiles;
    private final Budgets budgets;

    private App(ShammahConfig config, Clock clock) {
        Stores.createDataDir(config.dataDir());
        this.config = config;
        this.clock = clock;
        // Everything a configuration can get wrong is found here, before anything listens (exit 78).
        this.apiKeys = ApiKeys.of(config.server());
        if (config.server().tls().enabled()) {
            ServerSetup.keyAlias(config.server().tls());
        }
        this.startedAt = clock.instant();
        this.metrics = new ShammahMetrics();
        this.upstream = new ClaudeClient(config.upstream());
        this.requestLog = new RequestLog(config.dataDir());
        NativeThreads.pin();
        // A model folder that cannot be loaded is exit 78: found before the store opens anything to close.
        LocalModels localModels = UserModels.load(config.learning());
        HfGenerator generator = localModels.generator();
        this.stores = Stores.open(config, clock, metrics);
        this.sessions = stores.sessions();
        this.metrics.bindActiveSessions(sessions::size);
        this.reaper = new SessionReaper(sessions, config.server().reaperInterval());
        this.usage = new Usage(config.learning().inputPrice(), config.learning().outputPrice());
        this.usageFiles = UsageFiles.open(usage, config.dataDir(), clock, config.usage().keepDays());
        stores.shareUsage(usage);
        this.budgets = new Budgets(config.usage().budgets(), usage, clock);
        this.learning = Learning.create(config.learning(), stores.learning(), config.dataDir(),
                MiniLmEncoder.shared(), localModels, requestLog, metrics, clock,
                new BudgetedTeacher(upstream, budgets, usage, metrics, clock),
                stores.modelVersion(generator == null ? null : generator.directory()));
        this.engine = new Engine(sessions, upstream, localModels, learning, requestLog, metrics, clock,
                config.learning().storeText(), config.server().maxBodyBytes(), usage, budgets);
        this.models = new ModelCatalog(upstream, localModels.listed(startedAt), clock);
        this.audit = config.server().auditLog() ? new AuditLog(config.dataDir()) : null;
        this.access = new AccessFilter(metrics, audit);
        List<HealthCheck> all = new ArrayList<>(List.of(new SessionsCheck(sessions,
                config.server().maxSessions()), new UpstreamReachability(config.upstream().baseUrl(), clock),
                new DrainingCheck(access::draining)));
        all.addAll(stores.checks());
        this.checks = List.copyOf(all);
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

    /** Server-level setup ({@link ServerSetup}): bind address, TLS, connection handling, /metrics and health. */
    public void configureServer(WebServerConfig.Builder server) {
        ServerSetup.configure(server, config.server(), checks, this::routing);
    }

    /** The HTTP routes. Filters first, then services, then the error mappers (ours, Helidon's
     * HTTP exceptions such as an unmatched route, and anything unexpected). */
    public void routing(HttpRouting.Builder routing) {
        ServerSettings server = config.server();
        AccessFilter access = this.access;
        AuthFilter auth = new AuthFilter(server.authEnabled(), apiKeys, config.learning().tenantOf(),
                config.upstream().forwardClientKey());
        JsonBodies bodies = new JsonBodies(server.maxBodyBytes(), server.limits().maxJsonDepth(),
                server.network().readTimeout());
        MessagesRequest.Limits limits = new MessagesRequest.Limits(server.limits().maxMessages(),
                server.limits().maxContentBlocks(), server.limits().maxTokensRequested());
        RateLimiter limiter = new RateLimiter(server.limits().requestsPerMinute(), server.limits().tokensPerMinute(),
                clock, stores.instances());
        RequestGuard guard = new RequestGuard(server);
        routing.addFilter(access::filter)
                .addFilter(guard::filter)
                .addFilter(auth::filter)
                .register("/v1", new MessagesService(engine, new TokenCounter(upstream), bodies, limits, limiter))
                .register("/v1", new ChatCompletionsService(engine, bodies, limits, limiter, clock))
                .register("/v1", new ModelsService(models))
                .register("/v1", new TrainingService(learning))
                .register("/admin", new AdminService(learning, config.learning().storeText()))
                .register("/admin", new UsageService(usage, budgets))
                .register("/dashboard", new DashboardService())
                .register("/v1", new SessionService(sessions))
                .register("/health", new HealthService(sessions, startedAt, clock, checks))
                .error(ShammahException.class, ErrorResponses::handle)
                .error(HttpException.class, ErrorResponses::http)
                .error(Throwable.class, ErrorResponses::unexpected);
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
        return access.drain(config.server().drainTimeout());
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
