package dev.shammah.learning;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

import com.sun.management.OperatingSystemMXBean;

/**
 * Whether the machine's processors are busy now: the system's CPU use over the last fraction of a second, read at
 * most every {@value #EVERY_MS} ms (a read is a look at the kernel's counters, and the JDK measures from one read to
 * the next). Learning asks it to know when to give way: with the cores saturated every cycle it takes is a cycle a
 * request waits for. Where the JDK cannot tell (no {@code com.sun.management} bean, a negative reading), never busy.
 */
final class MachineLoad {
    /** The share of all cores in use from which the machine counts as busy. */
    static final double BUSY = 0.85;
    private static final long EVERY_MS = 200;
    private static final MachineLoad SYSTEM = new MachineLoad(MachineLoad::systemCpuLoad);

    private final DoubleSupplier load;
    /** When it was last read (nanoTime; never compared but by difference, which is what survives wrapping). */
    private volatile long readAt = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(EVERY_MS);
    private volatile boolean busy;

    /** @param load the share of all cores in use now, 0 to 1 (negative: unknown) */
    MachineLoad(DoubleSupplier load) {
        this.load = load;
    }

    private static double systemCpuLoad() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean sun
                ? sun.getCpuLoad() : -1;
    }

    static MachineLoad system() {
        return SYSTEM;
    }

    /**
     * Whether requests wait for the cores now: there are at least as many requests in flight as cores, and the
     * machine is {@linkplain #busy() busy}. Busy alone is not enough: a single client asking back to back (against a
     * teacher that answers at once) keeps two cores busy by itself, yet a core is free for learning between its
     * requests, and giving way then only made learning fall behind that client (dev-contrastive, 0 ms teacher:
     * 112 of 324 answered locally against 221 before learning gave way on load alone).
     */
    BooleanSupplier requestsWait(IntSupplier requestsInFlight, int cores) {
        return () -> requestsInFlight.getAsInt() >= cores && busy();
    }

    boolean busy() {
        long now = System.nanoTime();
        if (now - readAt >= TimeUnit.MILLISECONDS.toNanos(EVERY_MS)) {
            // Two threads may both read once in a while: harmless, the later reading stands.
            readAt = now;
            busy = load.getAsDouble() >= BUSY;
        }
        return busy;
    }
}
