package dev.shammah.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Lexical comparison of two requests: do they ask for the same thing in other words? Case, punctuation and
 * common English function words (including courtesy words such as "please" and "thanks") are ignored;
 * what remains are content words, and numbers, which must match exactly — "convert 3 ft" and
 * "convert 5 ft" share every word but one and are different requests.
 */
public final class TextMatch {
    /** English function and courtesy words: they change the tone of a request, not what it asks for. */
    private static final Set<String> STOP = Set.of(
            "a", "an", "the", "and", "or", "but", "if", "then", "so", "of", "to", "in", "on", "at", "by", "for",
            "with", "from", "into", "about", "as", "is", "are", "was", "were", "be", "been", "being", "am", "do",
            "does", "did", "it", "its", "this", "that", "these", "those", "i", "me", "my", "we", "our", "you",
            "your", "he", "she", "they", "them", "his", "her", "their", "can", "could", "would", "will", "shall",
            "should", "may", "might", "must", "please", "kindly", "thanks", "thank", "thx", "hi", "hello", "hey",
            "help", "want", "like", "need", "just", "also", "some", "any", "there", "here", "what", "which",
            "how", "let", "lets", "know", "tell", "give", "much", "very", "really", "ok", "okay");

    private TextMatch() {
    }

    /** Lower-case word and number tokens, punctuation dropped. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        String lower = text.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            // Decimal points and digit groups stay inside numbers: "3.5" and "1,000" are one token.
            boolean inNumber = (c == '.' || c == ',') && !cur.isEmpty() && Character.isDigit(cur.charAt(cur.length() - 1))
                    && i + 1 < lower.length() && Character.isDigit(lower.charAt(i + 1));
            if (Character.isLetterOrDigit(c) || inNumber) {
                cur.append(c);
            } else if (!cur.isEmpty()) {
                out.add(cur.toString());
                cur.setLength(0);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    static Set<String> contentWords(String text) {
        Set<String> out = new HashSet<>();
        for (String t : tokens(text)) {
            if (!STOP.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private static Set<String> numbers(Set<String> words) {
        Set<String> out = new HashSet<>();
        for (String w : words) {
            if (Character.isDigit(w.charAt(0))) {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * Jaccard similarity of the two texts' content words, in [0, 1]; 0 when their numbers differ. Two texts
     * with no content words at all compare by their full token lists.
     */
    public static double similarity(String a, String b) {
        Set<String> wa = contentWords(a);
        Set<String> wb = contentWords(b);
        if (!numbers(wa).equals(numbers(wb))) {
            return 0;
        }
        if (wa.isEmpty() && wb.isEmpty()) {
            return tokens(a).equals(tokens(b)) ? 1 : 0;
        }
        Set<String> union = new HashSet<>(wa);
        union.addAll(wb);
        Set<String> both = new HashSet<>(wa);
        both.retainAll(wb);
        return (double) both.size() / union.size();
    }
}
