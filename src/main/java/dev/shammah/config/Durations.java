package dev.shammah.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations the way people write them in YAML: {@code 600}, {@code 250ms}, {@code 30s}, {@code 10m}, {@code PT1H}. */
final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private Durations() {
    }

    static Duration parse(String key, String text) {
        String value = text.trim();
        Matcher m = SIMPLE.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new ConfigException("Invalid configuration: " + key + " must be a duration such as 30s, 500ms, "
                    + "10m or PT1M (got '" + text + "')");
        }
    }
}
