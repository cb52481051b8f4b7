package dev.shammah.bench.sidebyside;

import java.util.Arrays;
import java.util.Locale;

/** Durations in nanoseconds, and their percentiles in milliseconds (nearest rank). */
final class Samples {
    private long[] values = new long[64];
    private int size;
    private boolean sorted = true;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
        sorted = false;
    }

    int size() {
        return size;
    }

    /** The q-quantile (0 < q ≤ 1) in ms, NaN when empty. */
    double ms(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
        int rank = (int) Math.ceil(q * size);
        return values[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    /** "p50 / p99" in ms, or "–" when empty. */
    String p50p99() {
        return size == 0 ? "–" : String.format(Locale.ROOT, "%.2f / %.2f", ms(0.5), ms(0.99));
    }

    /** "this − baseline" at p50 and p99, in ms. */
    String minus(Samples baseline) {
        if (size == 0 || baseline.size == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%+.2f / %+.2f", ms(0.5) - baseline.ms(0.5), ms(0.99) - baseline.ms(0.99));
    }
}
