package dev.shammah.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Courtesy wrappers: greetings, "please", "can you tell me", "thanks" — words around a request that change its
 * tone, not what it asks. Only whole phrases, and only at the very start or end of a prompt, are recognised;
 * the same word inside a request ("a thank-you note", "tell me about Paris") is content. Recognising a phrase
 * does not make it harmless by decree: each one still needs measured evidence before a request that differs by
 * it is answered locally (see {@link WrongRate}); being on this list only starts it with a better prior.
 */
public final class Courtesy {
    /** Fewest tokens that must remain once wrappers are stripped: "Say thanks" is not "Say". */
    static final int MIN_CORE = 2;

    static final List<String> PREFIXES = List.of(
            "hi", "hello", "hey", "hiya", "greetings", "hi there", "hello there", "hey there", "good morning",
            "good afternoon", "good evening", "dear claude", "dear assistant", "ok", "okay", "so", "um", "please",
            "pls", "plz", "kindly", "excuse me", "sorry", "quick question", "a quick question", "question",
            "one question", "i have a question", "i have a quick question", "can you help", "can you help me",
            "could you help", "could you help me", "please help", "please help me", "help me", "help me out",
            "i need help", "i need your help", "can you please",
            "could you please", "would you please", "will you please", "please can you", "please could you",
            "can you tell me", "could you tell me", "would you tell me", "please tell me", "tell me",
            "i was wondering", "i am wondering", "just wondering", "i would like to know", "i want to know",
            "i would like you to", "i want you to", "i need you to");

    static final List<String> SUFFIXES = List.of(
            "thanks", "thank you", "thanks a lot", "thanks so much", "thank you so much", "thank you very much",
            "thanks in advance", "thank you in advance", "many thanks", "thanks again", "thx", "ty", "cheers",
            "please", "much appreciated", "appreciate it", "i appreciate it", "if you can", "if you could",
            "ok", "okay");

    private final List<List<String>> prefixes;
    private final List<List<String>> suffixes;
    /**
     * The phrases by the word a prompt must start (end) with for them to match, longest first as in the lists: every
     * request is stripped on the request path, and trying all ~80 phrases against it was 2% of a learning-on
     * daemon's CPU under a flood. Only a phrase that starts with the prompt's first word can match, so trying just
     * those, in the same order, finds the same phrase.
     */
    private final Map<String, List<List<String>>> prefixesByFirst;
    private final Map<String, List<List<String>>> suffixesByLast;

    /** The built-in phrases plus {@code extra} ones (learning.courtesy-phrases), which may wrap either end. */
    public Courtesy(List<String> extra) {
        this.prefixes = phrases(PREFIXES, extra);
        this.suffixes = phrases(SUFFIXES, extra);
        this.prefixesByFirst = byEnd(prefixes, true);
        this.suffixesByLast = byEnd(suffixes, false);
    }

    private static Map<String, List<List<String>>> byEnd(List<List<String>> phrases, boolean first) {
        Map<String, List<List<String>>> by = new HashMap<>();
        for (List<String> p : phrases) {
            by.computeIfAbsent(first ? p.getFirst() : p.getLast(), w -> new ArrayList<>()).add(p);
        }
        by.replaceAll((w, l) -> List.copyOf(l));
        return Map.copyOf(by);
    }

    public static Courtesy builtIn() {
        return new Courtesy(List.of());
    }

    private static List<List<String>> phrases(List<String> builtIn, List<String> extra) {
        List<List<String>> out = new ArrayList<>();
        for (String p : builtIn) {
            out.add(Words.canonical(p));
        }
        for (String p : extra) {
            List<String> t = Words.canonical(p);
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        // Longest first, so "can you tell me" is one wrapper, not "can you" plus content.
        out.sort(Comparator.comparingInt((List<String> l) -> -l.size()));
        return List.copyOf(out);
    }

    /** Whether a stripped phrase (tokens joined by spaces) is one of these. */
    public boolean isCourtesy(String phrase) {
        for (List<String> p : prefixes) {
            if (String.join(" ", p).equals(phrase)) {
                return true;
            }
        }
        for (List<String> p : suffixes) {
            if (String.join(" ", p).equals(phrase)) {
                return true;
            }
        }
        return false;
    }

    /** Where the core of {@code tokens} starts and ends once wrappers are stripped, and what was stripped. */
    Stripped strip(List<String> tokens) {
        int from = 0;
        int to = tokens.size();
        List<String> pre = new ArrayList<>();
        List<String> suf = new ArrayList<>();
        for (List<String> p = prefix(tokens, from, to); p != null; p = prefix(tokens, from, to)) {
            pre.add(String.join(" ", p));
            from += p.size();
        }
        for (List<String> p = suffix(tokens, from, to); p != null; p = suffix(tokens, from, to)) {
            suf.add(String.join(" ", p));
            to -= p.size();
        }
        return new Stripped(from, to, List.copyOf(pre), List.copyOf(suf));
    }

    /** The longest prefix phrase that starts {@code tokens[from, to)} and leaves a core, or null. */
    private List<String> prefix(List<String> tokens, int from, int to) {
        if (to - from <= MIN_CORE) {
            return null;
        }
        for (List<String> p : prefixesByFirst.getOrDefault(tokens.get(from), List.of())) {
            if (to - from - p.size() >= MIN_CORE && tokens.subList(from, from + p.size()).equals(p)) {
                return p;
            }
        }
        return null;
    }

    /** The longest suffix phrase that ends {@code tokens[from, to)} and leaves a core, or null. */
    private List<String> suffix(List<String> tokens, int from, int to) {
        if (to - from <= MIN_CORE) {
            return null;
        }
        for (List<String> p : suffixesByLast.getOrDefault(tokens.get(to - 1), List.of())) {
            if (to - from - p.size() >= MIN_CORE && tokens.subList(to - p.size(), to).equals(p)) {
                return p;
            }
        }
        return null;
    }

    /** The core's bounds and the phrases stripped from each end, outermost first. */
    record Stripped(int from, int to, List<String> prefixes, List<String> suffixes) {
    }
}
