package dev.shammah.api;

import java.util.function.BooleanSupplier;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Readiness: DOWN from the moment a drain starts (SIGTERM), so a load balancer stops sending new requests while
 * those in flight finish; {@code /health} answers 503 {@code "draining"} too.
 */
public final class DrainingCheck implements HealthCheck {
    private final BooleanSupplier draining;

    public DrainingCheck(BooleanSupplier draining) {
        this.draining = draining;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "draining";
    }

    @Override
    public HealthCheckResponse call() {
        boolean d = draining.getAsBoolean();
        return HealthCheckResponse.builder().status(!d).detail("draining", d).build();
    }

    boolean draining() {
        return draining.getAsBoolean();
    }
}
