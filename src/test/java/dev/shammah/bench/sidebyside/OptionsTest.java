package dev.shammah.bench.sidebyside;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The unmeasured wrk run before a target's measured ones lasts a minute unless --warmup-seconds says otherwise,
 * however long the measured ones are; three measured runs per target unless --throughput-rounds says otherwise;
 * 15,000 warm-up pairs before each latency block unless --warmup says otherwise.
 */
class OptionsTest {
    @Test
    void theWarmUpRunLastsAMinuteByDefault() {
        assertThat(Options.parse(new String[] {"--seconds", "5"}).warmupSeconds(), is(60));
        Options o = Options.parse(new String[] {"--seconds", "5", "--warmup-seconds", "30"});
        assertThat(o.seconds(), is(5));
        assertThat(o.warmupSeconds(), is(30));
    }

    @Test
    void fifteenThousandWarmUpPairsByDefault() {
        assertThat(Options.parse(new String[] {}).warmup(), is(15_000));
        assertThat(Options.parse(new String[] {"--warmup", "3000"}).warmup(), is(3000));
    }

    @Test
    void threeMeasuredRunsByDefault() {
        assertThat(Options.parse(new String[] {}).throughputRounds(), is(3));
        assertThat(Options.parse(new String[] {"--throughput-rounds", "1"}).throughputRounds(), is(1));
    }
}
