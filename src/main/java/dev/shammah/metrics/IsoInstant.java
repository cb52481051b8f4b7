package dev.shammah.metrics;

import java.time.Instant;

/**
 * {@link Instant#toString()}'s text, the seconds part printed once per second: every log line starts with a
 * timestamp, and the JDK's formatter (fields resolved through a {@code DateTimeFormatter} per call) was a few percent
 * of a local answer's time for two lines a request. The fraction is printed as the JDK prints it: none when it is
 * zero, else in groups of three digits, as few as it takes ({@code IsoInstantTest} holds the two side by side).
 */
final class IsoInstant {
    /** The last second printed and its text without the 'Z'; replaced whole, so a reader sees one or the other. */
    private record Second(long epochSecond, String text) {
    }

    private static volatile Second last = new Second(Long.MIN_VALUE, "");

    private IsoInstant() {
    }

    static String format(Instant t) {
        Second s = last;
        if (s.epochSecond() != t.getEpochSecond()) {
            String whole = Instant.ofEpochSecond(t.getEpochSecond()).toString();
            s = new Second(t.getEpochSecond(), whole.substring(0, whole.length() - 1));
            last = s;
        }
        int nano = t.getNano();
        if (nano == 0) {
            return s.text() + 'Z';
        }
        StringBuilder b = new StringBuilder(s.text().length() + 11).append(s.text()).append('.');
        int digits;
        int value;
        if (nano % 1_000_000 == 0) {
            digits = 3;
            value = nano / 1_000_000;
        } else if (nano % 1000 == 0) {
            digits = 6;
            value = nano / 1000;
        } else {
            digits = 9;
            value = nano;
        }
        String v = Integer.toString(value);
        b.repeat('0', digits - v.length()).append(v);
        return b.append('Z').toString();
    }
}
