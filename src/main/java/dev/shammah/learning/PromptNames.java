package dev.shammah.learning;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The names a prompt mentions, as {@link RewordGuard}'s entities rule compares them. */
final class PromptNames {
    private PromptNames() {
    }

    private static final Pattern RAW_WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'\\-.]*|[.!?]");

    /** Function words that are acronyms as often, in capitals: "the US FDA", "IT support". */
    private static final Set<String> ACRONYM_LIKE = Set.of("us", "it");

    /**
     * Names, as stems: a word with a capital that does not open a sentence ("learn Java"), or any word of two or
     * more capitals and no small letters ("NASA"). A prompt written all in capitals has none, and neither has a run
     * of capitalised words with a function word among them ("How can WE TOGETHER …"): shouting is not naming.
     */
    static Set<String> in(String prompt) {
        if (prompt.codePoints().noneMatch(Character::isLowerCase)) {
            return Set.of();
        }
        record Word(String text, boolean sentenceStart) {
            boolean shouted() {
                return text.length() >= 2 && text.codePoints().filter(Character::isUpperCase).count() >= 2
                        && text.codePoints().noneMatch(Character::isLowerCase);
            }
        }
        List<Word> words = new ArrayList<>();
        Matcher m = RAW_WORD.matcher(prompt);
        boolean sentenceStart = true;
        while (m.find()) {
            String w = m.group();
            if (w.equals(".") || w.equals("!") || w.equals("?")) {
                sentenceStart = true;
                continue;
            }
            // The word pattern keeps inner points ("file.txt", "3.5"); a trailing one ends a sentence.
            boolean ends = w.endsWith(".");
            while (w.endsWith(".") || w.endsWith("-") || w.endsWith("'")) {
                w = w.substring(0, w.length() - 1);
            }
            if (w.isEmpty()) {
                sentenceStart = true;
                continue;
            }
            words.add(new Word(w, sentenceStart));
            sentenceStart = ends;
        }
        Set<String> out = new HashSet<>();
        for (int i = 0; i < words.size(); i++) {
            Word word = words.get(i);
            if (word.shouted()) {
                int end = i;
                boolean plainWord = false;
                while (end < words.size() && words.get(end).shouted()) {
                    String lower = words.get(end).text().toLowerCase(Locale.ROOT);
                    plainWord |= PromptWords.FUNCTION_WORDS.contains(lower) && !ACRONYM_LIKE.contains(lower);
                    end++;
                }
                if (end - i >= 2 && plainWord) {
                    i = end - 1;
                    continue;
                }
            }
            String w = word.text();
            boolean capital = Character.isUpperCase(w.codePointAt(0)) && !w.equals("I") && !w.startsWith("I'");
            if (word.shouted() || (capital && !word.sentenceStart())) {
                String stem = PromptWords.stem(w.toLowerCase(Locale.ROOT));
                // A currency's code is its amount's unit, compared as content: "INR" names no thing.
                if (!PromptWords.FUNCTION_WORDS.contains(stem) && !PromptWords.CURRENCIES.containsKey(stem)) {
                    out.add(stem);
                }
            }
        }
        return Set.copyOf(out);
    }
}
