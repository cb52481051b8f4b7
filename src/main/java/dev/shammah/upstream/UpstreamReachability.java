package dev.shammah.upstream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Readiness check: can we open a TCP connection to the upstream? A readiness check, not liveness, because
 * a dead upstream is no reason to restart Shammah. Results are cached briefly so health polling never
 * turns into a connection storm against the upstream.
 */
public final class UpstreamReachability implements HealthCheck {
    private static final Duration CACHE_FOR = Duration.ofSeconds(10);
    private static final int PROBE_TIMEOUT_MS = 1000;

    private final URI baseUrl;
    private final Clock clock;
    private final AtomicReference<Probe> last = new AtomicReference<>();

    public UpstreamReachability(URI baseUrl, Clock clock) {
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    private record Probe(Instant at, boolean reachable, String error) {
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "upstream";
    }

    @Override
    public HealthCheckResponse call() {
        Probe p = last.get();
        Instant now = clock.instant();
        if (p == null || p.at().plus(CACHE_FOR).isBefore(now)) {
            p = probe(now);
            last.set(p);
        }
        HealthCheckResponse.Builder b = HealthCheckResponse.builder()
                .status(p.reachable())
                .detail("base_url", baseUrl.toString())
                .detail("checked_at", p.at().toString());
        if (p.error() != null) {
            b.detail("error", p.error());
        }
        return b.build();
    }

    private Probe probe(Instant now) {
        int port = baseUrl.getPort() > 0 ? baseUrl.getPort() : ("https".equals(baseUrl.getScheme()) ? 443 : 80);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(baseUrl.getHost(), port), PROBE_TIMEOUT_MS);
            return new Probe(now, true, null);
        } catch (IOException e) {
            return new Probe(now, false, UpstreamWords.of(e));
        }
    }
}
