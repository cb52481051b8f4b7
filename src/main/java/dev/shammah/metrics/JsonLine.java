package dev.shammah.metrics;

import java.math.BigDecimal;

/**
 * One log line's JSON object, written field by field straight to text: a line on every request is not worth
 * building a {@code JsonObject} (a map of wrapped values) only to print it, nor a generator (a pooled buffer, a
 * synchronised writer) for a dozen short fields. The text is the same as Parsson's printing of the built object —
 * fields in the order written, strings escaped as it escapes them (quote, backslash, and control characters only:
 * {@code \b \f \n \r \t}, the rest as {@code \}{@code u00xx}), numbers with a fraction as
 * {@link BigDecimal#valueOf(double)} prints them; {@code JsonLineTest} holds the two side by side.
 */
final class JsonLine {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(256).append('{');

    private StringBuilder name(String name) {
        if (out.length() > 1) {
            out.append(',');
        }
        string(name);
        return out.append(':');
    }

    private void string(String s) {
        out.append('"');
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, from, i);
            from = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        out.append(s, from, s.length()).append('"');
    }

    JsonLine add(String name, String value) {
        name(name);
        string(value);
        return this;
    }

    JsonLine add(String name, long value) {
        name(name).append(value);
        return this;
    }

    JsonLine add(String name, boolean value) {
        name(name).append(value);
        return this;
    }

    JsonLine add(String name, double value) {
        name(name).append(BigDecimal.valueOf(value));
        return this;
    }

    /** The value, or null when there is none. */
    JsonLine nullable(String name, String value) {
        if (value == null) {
            name(name).append("null");
        } else {
            add(name, value);
        }
        return this;
    }

    /** The value, or null when it is negative (unknown). */
    JsonLine optional(String name, long value) {
        if (value < 0) {
            name(name).append("null");
        } else {
            add(name, value);
        }
        return this;
    }

    /** The value only when there is one. */
    JsonLine ifPresent(String name, String value) {
        if (value != null) {
            add(name, value);
        }
        return this;
    }

    String text() {
        return out.append('}').toString();
    }
}
