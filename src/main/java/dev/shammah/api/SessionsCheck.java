package dev.shammah.api;

import dev.shammah.session.Sessions;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/** Liveness: the session store answers. Carries the count so orchestrators see load at a glance. */
public final class SessionsCheck implements HealthCheck {
    private final Sessions sessions;
    private final int max;

    public SessionsCheck(Sessions sessions, int max) {
        this.sessions = sessions;
        this.max = max;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.LIVENESS;
    }

    @Override
    public String name() {
        return "sessions";
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.builder()
                .status(true)
                .detail("active", sessions.size())
                .detail("max", max)
                .build();
    }
}
