package dev.shammah.api;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

import dev.shammah.config.ServerSettings;
import dev.shammah.config.ShammahConfig;
import dev.shammah.engine.Engine;
import dev.shammah.engine.MessagesRequest;
import dev.shammah.engine.TokenCounter;
import dev.shammah.errors.ShammahException;
import dev.shammah.learning.Learning;
import dev.shammah.metrics.AuditLog;
import dev.shammah.metrics.Budgets;
import dev.shammah.metrics.ShammahMetrics;
import dev.shammah.metrics.Usage;
import dev.shammah.session.Sessions;
import dev.shammah.upstream.ClaudeClient;
import dev.shammah.upstream.ModelCatalog;
import dev.shammah.upstream.UpstreamReachability;
import io.helidon.health.HealthCheck;
import io.helidon.http.HttpException;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;

/**
 * Shammah over HTTP: the filters, the routes, the health checks and the server's setup, over the parts the app
 * wired. The app builds one; the daemon and tests hand {@link #configure} to Helidon's server builder.
 */
public final class HttpApi {
    /**
     * The app's long-lived parts the routes answer with.
     *
     * @param instances   live instances sharing the store (1 when embedded), for the per-instance share of rate limits
     * @param storeChecks the store's own health checks (none when embedded)
     */
    public record Parts(Engine engine, Learning learning, ClaudeClient upstream, ModelCatalog models,
                        Sessions sessions, Usage usage, Budgets budgets, IntSupplier instances,
                        List<HealthCheck> storeChecks) {
        public Parts {
            storeChecks = List.copyOf(storeChecks);
        }
    }

    private final ShammahConfig config;
    private final Clock clock;
    private final Instant startedAt;
    private final ApiKeys apiKeys;
    private final Parts parts;
    private final AccessFilter access;
    private final List<HealthCheck> checks;

    public HttpApi(ShammahConfig config, Clock clock, Instant startedAt, ApiKeys apiKeys, ShammahMetrics metrics,
                   AuditLog audit, Parts parts) {
        this.config = config;
        this.clock = clock;
        this.startedAt = startedAt;
        this.apiKeys = apiKeys;
        this.parts = parts;
        this.access = new AccessFilter(metrics, audit);
        List<HealthCheck> all = new ArrayList<>(List.of(
                new SessionsCheck(parts.sessions(), config.server().maxSessions()),
                new UpstreamReachability(config.upstream().baseUrl(), clock),
                new DrainingCheck(access::draining)));
        all.addAll(parts.storeChecks());
        this.checks = List.copyOf(all);
    }

    /** Server-level setup ({@link ServerSetup}): bind address, TLS, connection handling, /metrics and health. */
    public void configure(WebServerConfig.Builder server) {
        ServerSetup.configure(server, config.server(), checks, this::routing);
    }

    /**
     * The HTTP routes. Filters first, then services, then the error mappers (ours, Helidon's HTTP exceptions such
     * as an unmatched route, and anything unexpected).
     */
    public void routing(HttpRouting.Builder routing) {
        ServerSettings server = config.server();
        AuthFilter auth = new AuthFilter(server.authEnabled(), apiKeys, config.learning().tenantOf(),
                config.upstream().forwardClientKey());
        JsonBodies bodies = new JsonBodies(server.maxBodyBytes(), server.limits().maxJsonDepth(),
                server.network().readTimeout());
        MessagesRequest.Limits limits = new MessagesRequest.Limits(server.limits().maxMessages(),
                server.limits().maxContentBlocks(), server.limits().maxTokensRequested());
        RateLimiter limiter = new RateLimiter(server.limits().requestsPerMinute(), server.limits().tokensPerMinute(),
                clock, parts.instances());
        RequestGuard guard = new RequestGuard(server);
        routing.addFilter(access::filter)
                .addFilter(guard::filter)
                .addFilter(auth::filter)
                .register("/v1", new MessagesService(parts.engine(), new TokenCounter(parts.upstream()), bodies,
                        limits, limiter))
                .register("/v1", new ChatCompletionsService(parts.engine(), bodies, limits, limiter, clock))
                .register("/v1", new ModelsService(parts.models()))
                .register("/v1", new TrainingService(parts.learning()))
                .register("/admin", new AdminService(parts.learning(), config.learning().storeText()))
                .register("/admin", new UsageService(parts.usage(), parts.budgets()))
                .register("/dashboard", new DashboardService())
                .register("/v1", new SessionService(parts.sessions()))
                .register("/health", new HealthService(parts.sessions(), startedAt, clock, checks))
                .error(ShammahException.class, ErrorResponses::handle)
                .error(HttpException.class, ErrorResponses::http)
                .error(Throwable.class, ErrorResponses::unexpected);
    }

    /**
     * Refuses new API requests and waits (at most {@code server.drain-timeout}) for those in flight, streams
     * included, to finish.
     */
    public boolean drain() {
        return access.drain(config.server().drainTimeout());
    }
}
