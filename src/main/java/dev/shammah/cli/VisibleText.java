package dev.shammah.cli;

import java.util.Locale;

/**
 * Text from the model or a tool made safe to print on one terminal line: control characters (C0, DEL, C1) and
 * the Unicode bidirectional controls are shown as escapes ({@code \r}, {@code \x1b}, {@code \u202e}) instead of
 * acting. Printed raw, {@code \r\e[2K} erases the line a person is reading and writes another in its place, and
 * a right-to-left override reverses what follows it: a {@code curl … | sh} could pass for {@code ls}.
 */
final class VisibleText {
    private VisibleText() {
    }

    static String escape(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escaped = escape(c);
            if (escaped != null && sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (sb != null) {
                sb.append(escaped != null ? escaped : String.valueOf(c));
            }
        }
        return sb == null ? text : sb.toString();
    }

    private static String escape(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> {
                if (c < 0x20 || c == 0x7f) {
                    yield String.format(Locale.ROOT, "\\x%02x", (int) c);
                }
                if ((c >= 0x80 && c <= 0x9f) || bidi(c)) {
                    yield String.format(Locale.ROOT, "\\u%04x", (int) c);
                }
                yield null;
            }
        };
    }

    /** Embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069), the marks, and line/paragraph breaks. */
    private static boolean bidi(char c) {
        return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
                || c == 0x061c || c == 0x2028 || c == 0x2029;
    }
}
