package dev.shammah.learning;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.shammah.routing.Courtesy;
import dev.shammah.routing.PromptForm;
import dev.shammah.routing.Words;

/**
 * What {@link RewordGuard} compares in a prompt, read once: its core's word stems in order, the content words
 * among them, its numbers, negations, question words, quoted text and code, and named entities.
 *
 * @param stems        the core's tokens, lower case, plural and possessive endings dropped, in order
 * @param allStems     the same as a set
 * @param content      stems that carry content (no function words, question words or bare numbers)
 * @param numbers      numbers in order: digit runs (also inside words) and number words
 * @param negations    how many negating words
 * @param whWords      the question words that change what is asked
 * @param questionType +1 for a yes/no question, -1 for a wh-question, 0 for neither
 * @param quoted       double-quoted spans and code, verbatim
 * @param entities     stems of names: capitalised words that do not open a sentence, and acronyms
 */
record PromptFacts(List<String> stems, Set<String> allStems, Set<String> content, List<String> numbers,
                   int negations, Set<String> whWords, int questionType, Set<String> quoted, Set<String> entities) {
    /** Relational words around which shared words must keep their side ({@link RewordGuard}). */
    static final List<String> PIVOTS = List.of("to", "from", "into", "onto", "than", "minus", "of", "by", "per",
            "over", "under", "above", "below", "before", "after", "divided", "times");
    private static final Set<String> CHANGING_WH = Set.of("why", "where", "when", "who", "whom", "whose");
    /**
     * Nouns that make "which …" / "what …" the question word they stand for: "Which place is best to visit?" asks
     * where, "What year did it end?" when, so each pairs with the plain question word, not against it.
     */
    private static final Map<String, String> PHRASED_WH = Map.of("place", "where", "location", "where",
            "time", "when", "year", "when", "date", "when", "day", "when", "person", "who", "reason", "why");
    private static final Set<String> WHICH = Set.of("which", "what");
    /** A trailing "why" after a sentence's end ("…? Why?"), as the raw prompt shows it. */
    private static final Pattern WHY_AFTER_STOP = Pattern.compile(
            "[?.!;:,]\\s*why(?:\\s+or\\s+why\\s+not)?[\\s?.!]*$", Pattern.CASE_INSENSITIVE);
    private static final Set<String> WH = Set.of("what", "how", "why", "where", "when", "who", "which", "whom",
            "whose");
    private static final Set<String> YES_NO = Set.of("is", "are", "was", "were", "do", "does", "did", "can", "could",
            "will", "would", "should", "shall", "has", "have", "had", "may", "might", "must", "am");
    private static final Pattern DIGITS = Pattern.compile("\\d+(?:[.,]\\d+)*");
    private static final Pattern DOUBLE_QUOTED = Pattern.compile("\"([^\"]{1,200})\"|\u201C([^\u201D]{1,200})\u201D");
    static PromptFacts of(String prompt, Courtesy courtesy) {
        PromptForm form = PromptForm.of(prompt, courtesy);
        List<String> stems = new ArrayList<>();
        Set<String> content = new LinkedHashSet<>();
        List<String> numbers = new ArrayList<>();
        Set<String> quoted = new HashSet<>();
        Set<String> wh = new HashSet<>();
        int negations = 0;
        // Per number, the index of the stem it was read from: numbers in one list are compared as a set.
        List<Integer> numberAt = new ArrayList<>();
        for (String token : form.core()) {
            if (token.startsWith(Words.CODE)) {
                quoted.add(token);
                continue;
            }
            String plain = PromptWords.stem(token);
            String stem = PromptWords.CURRENCIES.getOrDefault(plain, plain);
            stems.add(stem);
            if (PromptWords.NEGATIONS.contains(stem)) {
                negations++;
            }
            if (CHANGING_WH.contains(stem)) {
                wh.add(stem);
            }
            Matcher m = DIGITS.matcher(token);
            boolean digits = false;
            while (m.find()) {
                numbers.add(m.group().replace(",", ""));
                numberAt.add(stems.size() - 1);
                digits = true;
            }
            if (PromptWords.NUMBER_WORDS.contains(stem)) {
                numbers.add(stem);
                numberAt.add(stems.size() - 1);
            }
            // "of all time" / "all time best" says ever, not a time.
            boolean allTime = stem.equals("time") && stems.size() >= 2 && stems.get(stems.size() - 2).equals("all");
            if (!digits && !allTime && !PromptWords.FUNCTION_WORDS.contains(stem)
                    && !PromptWords.NEGATIONS.contains(stem) && !PromptWords.NUMBER_WORDS.contains(stem)
                    && stem.codePoints().anyMatch(Character::isLetter)) {
                content.add(stem);
            }
            // An amount written as one word ("500rs", "rs500") still names its currency.
            String unit = digits ? PromptWords.CURRENCIES.get(DIGITS.matcher(token).replaceAll("")) : null;
            if (unit != null) {
                stems.add(unit);
                content.add(unit);
            }
        }
        // "…, and why?" / "…? Why?" after a question asks the reasons for its answer, not another question: its
        // "why" (and the "not" of "why or why not") is not counted against the other prompt.
        int tail = content.isEmpty() ? 0 : whyTail(stems, prompt);
        if (tail > 0) {
            List<String> tailStems = stems.subList(stems.size() - tail, stems.size());
            negations -= (int) tailStems.stream().filter(PromptWords.NEGATIONS::contains).count();
            if (!stems.subList(0, stems.size() - tail).contains("why")) {
                wh.remove("why");
            }
        }
        int type = 0;
        if (!stems.isEmpty()) {
            type = YES_NO.contains(stems.get(0)) ? 1 : WH.contains(stems.get(0)) ? -1 : 0;
        }
        phrasedWh(stems, content, wh);
        Matcher q = DOUBLE_QUOTED.matcher(prompt);
        while (q.find()) {
            quoted.add((q.group(1) != null ? q.group(1) : q.group(2)).strip());
        }
        Set<String> all = Set.copyOf(stems);
        // Names in a courtesy phrase ("Thanks, Claude!") are not what is asked.
        Set<String> names = new HashSet<>(PromptNames.in(prompt));
        names.retainAll(all);
        return new PromptFacts(List.copyOf(stems), all, Set.copyOf(content), listsAsSets(numbers, numberAt, stems),
                negations, Set.copyOf(wh), type, Set.copyOf(quoted), Set.copyOf(names));
    }

    /**
     * Adds the question words that "which …" / "what …" stand for: "which place" anywhere asks where, "what year"
     * when; and a question opening with what / which that has no such word of its own and names a place or a time
     * among its content ("What is the best place to …") asks where or when, as "Where is the best place to …" does.
     */
    private static void phrasedWh(List<String> stems, Set<String> content, Set<String> wh) {
        for (int i = 1; i < stems.size(); i++) {
            String phrased = PHRASED_WH.get(stems.get(i));
            if (phrased != null && WHICH.contains(stems.get(i - 1))) {
                wh.add(phrased);
            }
        }
        if (wh.isEmpty() && !stems.isEmpty() && WHICH.contains(stems.get(0))) {
            for (String word : content) {
                String phrased = PHRASED_WH.get(word);
                if (phrased != null) {
                    wh.add(phrased);
                }
            }
        }
    }

    /** Words before which "of" takes a part of something ("some of the best …"), not a relation between two things. */
    private static final Set<String> PARTITIVE = Set.of("some", "all", "any", "each", "one", "most", "many", "few",
            "several", "none", "both", "either", "neither", "out", "lot", "lots", "couple", "much", "more", "less",
            "rest", "majority");

    /**
     * Where {@code pivot} first relates two things in {@code stems}, or -1: a partitive "of" ("some of the best",
     * "out of all") or the idiom "of all time" relates nothing and is passed over.
     */
    static int pivotIndex(List<String> stems, String pivot) {
        for (int i = 0; i < stems.size(); i++) {
            if (!stems.get(i).equals(pivot)) {
                continue;
            }
            boolean partitive = pivot.equals("of") && ((i > 0 && PARTITIVE.contains(stems.get(i - 1)))
                    || (i + 2 < stems.size() && stems.get(i + 1).equals("all") && stems.get(i + 2).equals("time")));
            if (!partitive) {
                return i;
            }
        }
        return -1;
    }

    /**
     * How many of the last stems are a request for the reasons of the question before them: "and why", "why or why
     * not" (after "and" or a sentence's end), or a "why" sentence of its own ("Which is best? Why?"); 0 when there
     * is none. The caller asks only of a prompt with content words, and the tail has none: so something was asked
     * before it.
     */
    static int whyTail(List<String> stems, String prompt) {
        int n = stems.size();
        int tail;
        if (n >= 4 && stems.subList(n - 4, n).equals(List.of("why", "or", "why", "not"))) {
            tail = 4;
        } else if (n >= 1 && stems.get(n - 1).equals("why")) {
            tail = 1;
        } else {
            return 0;
        }
        boolean joined = n - tail >= 1 && stems.get(n - tail - 1).equals("and");
        if (joined) {
            tail++;
        } else if (!WHY_AFTER_STOP.matcher(prompt.strip()).find()) {
            return 0;
        }
        return tail;
    }

    /** Words that join the numbers of one list: "500 and 1000", "2 or 3", "4 & 5" (commas are gone by now). */
    private static final Set<String> LIST_JOINS = Set.of("and", "or", "&");

    /**
     * Whether the numbers read from stems {@code from} and {@code to} are neighbours in one list: between them at
     * most one joining word and otherwise only currencies. Two numbers of one word ("3x4", "10-20") keep their order.
     */
    private static boolean oneList(List<String> stems, int from, int to) {
        if (to <= from) {
            return false;
        }
        int joins = 0;
        for (int k = from + 1; k < to; k++) {
            String between = stems.get(k);
            if (LIST_JOINS.contains(between)) {
                joins++;
            } else if (!PromptWords.CURRENCIES.containsValue(between)) {
                return false;
            }
        }
        return joins <= 1;
    }

    /**
     * The numbers in order, except that the numbers of one list — each next to the last, or joined to it by "and",
     * "or" or "&", currencies aside ("rs500 and rs1000") — are sorted among themselves: "the 500 and 1000 notes" names
     * what "the 1000 and 500 notes" does. Order still counts everywhere else ("12 minus 5", "from 3 to 7").
     */
    static List<String> listsAsSets(List<String> numbers, List<Integer> at, List<String> stems) {
        List<String> out = new ArrayList<>(numbers.size());
        int start = 0;
        for (int i = 1; i <= numbers.size(); i++) {
            if (i == numbers.size() || !oneList(stems, at.get(i - 1), at.get(i))) {
                List<String> list = new ArrayList<>(numbers.subList(start, i));
                list.sort(null);
                out.addAll(list);
                start = i;
            }
        }
        return List.copyOf(out);
    }

    /** The content words of one prompt and not the other: an answer that names one of them only differs. */
    static Set<String> changedWords(PromptFacts a, PromptFacts b) {
        Set<String> out = new HashSet<>(a.content());
        out.addAll(b.content());
        Set<String> both = new HashSet<>(a.content());
        both.retainAll(b.content());
        out.removeAll(both);
        return out;
    }
}
