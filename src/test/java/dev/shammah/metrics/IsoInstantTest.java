package dev.shammah.metrics;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Log timestamps are the text {@link Instant#toString()} gives, whatever the fraction and the year. */
class IsoInstantTest {
    @Test
    void printsWhatInstantPrints() {
        long[] seconds = {0, 1, -1, 1_796_601_600L, 253_402_300_799L, 253_402_300_800L, -62_135_596_800L,
                -62_135_596_801L};
        int[] nanos = {0, 1, 999, 1000, 1001, 999_999, 1_000_000, 1_000_001, 5_000_000, 120_000_000, 123_456_000,
                123_456_789, 999_999_999, 100, 10_000, 100_000_000};
        for (long s : seconds) {
            for (int n : nanos) {
                Instant t = Instant.ofEpochSecond(s, n);
                assertThat(IsoInstant.format(t), is(t.toString()));
            }
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            // Runs of the same second and jumps between seconds, as log lines come.
            Instant t = Instant.ofEpochSecond(1_796_601_600L + random.nextInt(4), random.nextInt(1_000_000_000))
                    .truncatedTo(i % 3 == 0 ? java.time.temporal.ChronoUnit.MILLIS : java.time.temporal.ChronoUnit.NANOS);
            assertThat(IsoInstant.format(t), is(t.toString()));
        }
    }
}
