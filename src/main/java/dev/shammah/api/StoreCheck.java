package dev.shammah.api;

import java.util.function.Supplier;

import dev.shammah.store.StoreStatus;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Readiness: the shared store ({@code store.kind: postgres}). DOWN while it is out of reach or being caught up
 * with — the instance still answers, but forwards every request — with the reason; the details say how current
 * the local copies are.
 */
public final class StoreCheck implements HealthCheck {
    private final Supplier<StoreStatus> status;

    public StoreCheck(Supplier<StoreStatus> status) {
        this.status = status;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "store";
    }

    @Override
    public HealthCheckResponse call() {
        StoreStatus s = status.get();
        HealthCheckResponse.Builder b = HealthCheckResponse.builder()
                .status(s.current() ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN)
                .detail("kind", "postgres")
                .detail("instances", s.instances())
                .detail("caught_up_at", s.caughtUpAt() == null ? "never" : s.caughtUpAt().toString())
                .detail("last_catch_up_lag_ms", s.lastLag().toMillis())
                .detail("changes_applied", s.applied())
                .detail("evidence_waiting", s.outbox())
                .detail("exchanges_dropped", s.dropped())
                .detail("sessions_kept_locally", s.keptSessions());
        if (!s.current()) {
            b.detail("problem", (s.problem() == null ? "catching up" : s.problem())
                    + "; every request is forwarded until the store is back");
        }
        return b.build();
    }
}
