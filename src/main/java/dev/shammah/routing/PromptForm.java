package dev.shammah.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * A prompt as Shammah compares it: its canonical tokens ({@link Words#canonical}: case, whitespace, sentence
 * punctuation and contractions normalised, order and every word kept) and its <em>core</em>, the tokens left
 * once courtesy wrappers are stripped from both ends ({@link Courtesy}).
 *
 * @param tokens       canonical tokens
 * @param coreFrom     index of the core's first token
 * @param coreTo       index after the core's last token
 * @param prefixes     courtesy phrases stripped from the start
 * @param suffixes     courtesy phrases stripped from the end
 */
public record PromptForm(List<String> tokens, int coreFrom, int coreTo, List<String> prefixes, List<String> suffixes) {
    /** Longest prompt (characters) compared at all; longer ones are never answered locally. */
    public static final int MAX_CHARS = 100_000;

    public PromptForm {
        tokens = List.copyOf(tokens);
        prefixes = List.copyOf(prefixes);
        suffixes = List.copyOf(suffixes);
    }

    public static PromptForm of(String text, Courtesy courtesy) {
        List<String> tokens = Words.canonical(text);
        Courtesy.Stripped s = courtesy.strip(tokens);
        return new PromptForm(tokens, s.from(), s.to(), s.prefixes(), s.suffixes());
    }

    /**
     * The form of a prompt whose text was not kept, from what was: the courtesy phrases stripped from each end
     * (outermost first, as {@link Courtesy} strips them) around a core known exactly (the one it was looked up by).
     */
    public static PromptForm rebuilt(List<String> prefixes, List<String> core, List<String> suffixes) {
        List<String> tokens = new ArrayList<>();
        for (String p : prefixes) {
            tokens.addAll(List.of(p.split(" ")));
        }
        int from = tokens.size();
        tokens.addAll(core);
        int to = tokens.size();
        for (int i = suffixes.size() - 1; i >= 0; i--) {
            tokens.addAll(List.of(suffixes.get(i).split(" ")));
        }
        return new PromptForm(tokens, from, to, prefixes, suffixes);
    }

    public List<String> core() {
        return tokens.subList(coreFrom, coreTo);
    }

    /** The tokens as one string; the separator cannot occur inside a token. */
    public String text() {
        return join(tokens);
    }

    public String coreText() {
        return join(core());
    }

    static String join(List<String> tokens) {
        return String.join("\u0001", tokens);
    }
}
