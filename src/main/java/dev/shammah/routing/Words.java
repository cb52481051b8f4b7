package dev.shammah.routing;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits text into the tokens Shammah compares: words (with their inner apostrophes, hyphens and decimal
 * points: "don't", "thank-you", "3.5", "1,000", "file.txt"), signed numbers ("-40"), quote marks (one token,
 * whatever quote was used) and every other symbol as a token of its own. Sentence punctuation is dropped.
 * Nothing else is dropped: unlike a search engine, no word is a stop word here, because "from"/"to", "his"/"her"
 * and "not" are exactly the words that change what a request asks.
 */
public final class Words {
    /** The one token every quote mark becomes: quoted text stays marked as quoted. */
    public static final String QUOTE = "\"";
    /** Prefix of a code span token: kept verbatim (case, punctuation), since code means what it says. */
    public static final String CODE = "`";

    /** Contractions written out, so "what's" and "what is" are the same words. Applied after lower-casing. */
    private static final Map<String, String> CONTRACTIONS = Map.ofEntries(
            Map.entry("can't", "can not"), Map.entry("cannot", "can not"), Map.entry("won't", "will not"),
            Map.entry("shan't", "shall not"), Map.entry("ain't", "is not"), Map.entry("let's", "let us"),
            Map.entry("it's", "it is"), Map.entry("that's", "that is"), Map.entry("what's", "what is"),
            Map.entry("who's", "who is"), Map.entry("where's", "where is"), Map.entry("when's", "when is"),
            Map.entry("how's", "how is"), Map.entry("why's", "why is"), Map.entry("there's", "there is"),
            Map.entry("here's", "here is"), Map.entry("he's", "he is"), Map.entry("she's", "she is"));
    private static final Map<String, String> ENDINGS = Map.of("n't", " not", "'re", " are", "'m", " am",
            "'ll", " will", "'ve", " have", "'d", " would");

    private Words() {
    }

    /** Canonical tokens of a prompt: lower case outside code, contractions expanded. */
    public static List<String> canonical(String text) {
        List<String> out = new ArrayList<>();
        String t = normalise(text);
        int i = 0;
        while (i < t.length()) {
            int fence = t.indexOf("```", i);
            int tick = t.indexOf('`', i);
            if (tick < 0) {
                split(t.substring(i), true, true, out);
                break;
            }
            split(t.substring(i, tick), true, true, out);
            boolean fenced = fence == tick;
            String closer = fenced ? "```" : "`";
            int end = t.indexOf(closer, tick + closer.length());
            if (end < 0) {
                // An unclosed backtick: the rest is code, to be safe.
                out.add(CODE + t.substring(tick + closer.length()).strip());
                break;
            }
            out.add(CODE + t.substring(tick + closer.length(), end).strip());
            i = end + closer.length();
        }
        return out;
    }

    /** Plain word tokens, for answer overlap (ROUGE-L): lower-cased or not, nothing expanded. */
    public static List<String> tokens(String text, boolean lowerCase) {
        List<String> out = new ArrayList<>();
        split(normalise(text), lowerCase, false, out);
        return out;
    }

    private static String normalise(String text) {
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder sb = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            sb.append(switch (c) {
                case '\u2018', '\u2019', '\u201B', '\u2032' -> '\'';
                case '\u201C', '\u201D', '\u201E', '\u2033', '\u00AB', '\u00BB' -> '"';
                case '\u2013', '\u2014', '\u2212' -> '-';
                default -> c;
            });
        }
        return sb.toString();
    }

    private static boolean sentencePunctuation(char c) {
        return c == '.' || c == ',' || c == '!' || c == '?' || c == ';' || c == ':' || c == '\u2026'
                || c == '\u00BF' || c == '\u00A1';
    }

    private static void split(String text, boolean lowerCase, boolean expand, List<String> out) {
        String s = lowerCase ? text.toLowerCase(Locale.ROOT) : text;
        StringBuilder word = new StringBuilder();
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            char prev = i > 0 ? s.charAt(i - 1) : ' ';
            char next = i + 1 < n ? s.charAt(i + 1) : ' ';
            if (Character.isLetterOrDigit(c)) {
                word.append(c);
                continue;
            }
            boolean inWord = !word.isEmpty() && Character.isLetterOrDigit(prev) && Character.isLetterOrDigit(next);
            if (inWord && (c == '\'' || c == '-' || c == '.' || c == '_' || c == '/' || c == '@'
                    || (c == ',' && Character.isDigit(prev) && Character.isDigit(next)))) {
                word.append(c);
                continue;
            }
            if ((c == '-' || c == '+') && word.isEmpty() && !Character.isLetterOrDigit(prev) && Character.isDigit(next)) {
                // A sign belongs to its number: "-40" and "40" are different temperatures.
                word.append(c);
                continue;
            }
            flush(word, expand, out);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || sentencePunctuation(c)) {
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                out.add(QUOTE);
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n) {
                out.add(s.substring(i, i + 2));
                i++;
                continue;
            }
            out.add(String.valueOf(c));
        }
        flush(word, expand, out);
    }

    private static void flush(StringBuilder word, boolean expand, List<String> out) {
        if (word.isEmpty()) {
            return;
        }
        String w = word.toString();
        word.setLength(0);
        if (!expand) {
            out.add(w);
            return;
        }
        String whole = CONTRACTIONS.get(w);
        if (whole != null) {
            out.addAll(List.of(whole.split(" ")));
            return;
        }
        for (Map.Entry<String, String> e : ENDINGS.entrySet()) {
            if (w.length() > e.getKey().length() && w.endsWith(e.getKey())) {
                String stem = w.substring(0, w.length() - e.getKey().length());
                out.add(stem);
                out.add(e.getValue().strip());
                return;
            }
        }
        out.add(w);
    }
}
