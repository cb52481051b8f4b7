package dev.shammah.api;

import java.util.Locale;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The headers' numbers read as {@code %.Nf} printed them. */
class ShammahHeadersTest {
    @Test
    void fixedDecimalsAreWhatAFormatterPrints() {
        double[] values = {0, 1, 0.5, 0.123456, 0.99994, 0.999, 12.3456, 0.0005, 1234.5678, 0.001, 3.14159};
        for (double v : values) {
            assertThat(String.valueOf(v), ShammahHeaders.fixed(v, 4), is(String.format(Locale.ROOT, "%.4f", v)));
            assertThat(String.valueOf(v), ShammahHeaders.fixed(v, 3), is(String.format(Locale.ROOT, "%.3f", v)));
        }
    }
}
