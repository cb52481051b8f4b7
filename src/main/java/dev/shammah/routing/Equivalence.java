package dev.shammah.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Is a stored exchange's prompt the same request as this one? Order-aware: the two canonical token sequences
 * are aligned, and the only differences that can ever be forgiven are whole wrappers at either end — a courtesy
 * phrase, or a short run of words added before or after an otherwise identical request ("Quick question: …",
 * "… in one line"). A difference anywhere inside the request — word order, a pronoun, a preposition, a negation,
 * a number, a name — and a word replaced by another even at an end ("… France?" / "… Italy?") make it a
 * different request, always. Which wrappers are actually harmless is not decided here but measured
 * ({@link WrongRate}); this class only names the kinds of edit ("parts") that separate the two.
 */
public final class Equivalence {
    /** Longest run of words one side may have outside the shared request. */
    static final int MAX_WRAPPER = 8;
    /** Cores longer than this are only compared for identity (the alignment is quadratic). */
    static final int MAX_ALIGN = 300;
    private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "without", "nor", "neither", "none",
            "nothing", "nobody", "nowhere", "except", "but");

    private final Courtesy courtesy;

    public Equivalence(Courtesy courtesy) {
        this.courtesy = courtesy;
    }

    public Courtesy courtesy() {
        return courtesy;
    }

    /** How two prompts relate. */
    public enum Relation {
        /** The same canonical tokens: the same request. */
        SAME,
        /** The same request inside different wrappers; {@link Edit#parts()} names them. */
        WRAPPED,
        /** Different requests. */
        DIFFERENT
    }

    /**
     * The relation of two prompts and, when wrapped, the kinds of edit between them.
     *
     * @param relation     same, wrapped or different
     * @param parts        edit kinds, e.g. {@code pre:hi}, {@code suf:thank you}, {@code pre:quick question},
     *                     {@code suf:in one line}; empty unless wrapped
     * @param changedWords words of the wrappers that are not courtesy (what an answer could echo)
     */
    public record Edit(Relation relation, List<String> parts, Set<String> changedWords) {
        static final Edit SAME = new Edit(Relation.SAME, List.of(), Set.of());
        static final Edit DIFFERENT = new Edit(Relation.DIFFERENT, List.of(), Set.of());

        public Edit {
            parts = List.copyOf(parts);
            changedWords = Set.copyOf(changedWords);
        }
    }

    /** Whether an edit kind is made of courtesy phrases only. */
    public boolean isCourtesy(String part) {
        String body = part.substring(4);
        for (String side : body.split("\\|", -1)) {
            if (!side.isEmpty() && !courtesy.isCourtesy(side)) {
                return false;
            }
        }
        return true;
    }

    public Edit compare(PromptForm request, PromptForm stored) {
        if (request.tokens().equals(stored.tokens())) {
            return Edit.SAME;
        }
        List<String> parts = new ArrayList<>();
        Set<String> changed = new LinkedHashSet<>();
        phraseDifference("pre:", request.prefixes(), stored.prefixes(), parts);
        phraseDifference("suf:", request.suffixes(), stored.suffixes(), parts);
        List<String> a = request.core();
        List<String> b = stored.core();
        if (!a.equals(b)) {
            if (!wrapperDifference(a, b, parts, changed)) {
                return Edit.DIFFERENT;
            }
        }
        if (parts.isEmpty()) {
            // Same core, same phrases in another order or repeated: still a wrapper edit, named as such.
            parts.add("pre:" + String.join(" ", request.prefixes()) + "|" + String.join(" ", stored.prefixes()));
        }
        return new Edit(Relation.WRAPPED, parts, changed);
    }

    /** Courtesy phrases stripped from one side but not the other (as multisets). */
    private static void phraseDifference(String where, List<String> a, List<String> b, List<String> parts) {
        List<String> onlyB = new ArrayList<>(b);
        for (String p : a) {
            if (!onlyB.remove(p)) {
                parts.add(where + p);
            }
        }
        onlyB.forEach(p -> parts.add(where + p));
    }

    /**
     * Finds the longest shared run of the two cores; succeeds when everything outside it is a short wrapper
     * added at either end (on one side only: words replaced by others are content, not wrapping). Adds one part
     * per end that differs.
     */
    private static boolean wrapperDifference(List<String> a, List<String> b, List<String> parts, Set<String> changed) {
        if (a.size() > MAX_ALIGN || b.size() > MAX_ALIGN) {
            return false;
        }
        int[] run = longestCommonRun(a, b);
        int length = run[2];
        if (length < Courtesy.MIN_CORE || 2 * length < Math.max(a.size(), b.size())) {
            return false;
        }
        List<String> preA = a.subList(0, run[0]);
        List<String> preB = b.subList(0, run[1]);
        List<String> sufA = a.subList(run[0] + length, a.size());
        List<String> sufB = b.subList(run[1] + length, b.size());
        if ((!preA.isEmpty() && !preB.isEmpty()) || (!sufA.isEmpty() && !sufB.isEmpty())) {
            return false;
        }
        for (List<String> w : List.of(preA, preB, sufA, sufB)) {
            if (w.size() > MAX_WRAPPER) {
                return false;
            }
            for (String t : w) {
                // Negations, numbers, quoted text and code are never wrapping: they are what a request is about.
                if (NEGATIONS.contains(t) || t.equals(Words.QUOTE) || t.startsWith(Words.CODE)
                        || t.chars().anyMatch(Character::isDigit)) {
                    return false;
                }
            }
        }
        // A word outside the shared run on both sides (one end each) has moved: a reordering, not a wrapper.
        List<String> outsideA = preA.isEmpty() ? sufA : preA;
        List<String> outsideB = preB.isEmpty() ? sufB : preB;
        for (String t : outsideB) {
            if (outsideA.contains(t)) {
                return false;
            }
        }
        addPart("pre:", preA, preB, parts, changed);
        addPart("suf:", sufA, sufB, parts, changed);
        return true;
    }

    private static void addPart(String where, List<String> a, List<String> b, List<String> parts, Set<String> changed) {
        if (a.equals(b)) {
            return;
        }
        // Symmetric: "A wrapped in w" vs "A" is the same kind of edit as "A" vs "A wrapped in w".
        parts.add(where + String.join(" ", a.isEmpty() ? b : a));
        changed.addAll(a);
        changed.addAll(b);
    }

    /** {start in a, start in b, length} of the longest run of equal tokens. */
    static int[] longestCommonRun(List<String> a, List<String> b) {
        int[] prev = new int[b.size() + 1];
        int[] cur = new int[b.size() + 1];
        int best = 0;
        int endA = 0;
        int endB = 0;
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                cur[j] = a.get(i - 1).equals(b.get(j - 1)) ? prev[j - 1] + 1 : 0;
                if (cur[j] > best) {
                    best = cur[j];
                    endA = i;
                    endB = j;
                }
            }
            int[] t = prev;
            prev = cur;
            cur = t;
            Arrays.fill(cur, 0);
        }
        return new int[] {endA - best, endB - best, best};
    }

    /**
     * The cores a request's core could be stored under if the edit {@code part} separates them: for each way the
     * part applies at its end of {@code core}, the core with that wrapper added, removed or swapped. Used to find
     * stored exchanges behind wrappers already proven harmless, without searching.
     */
    public static List<List<String>> applications(String part, List<String> core) {
        boolean pre = part.startsWith("pre:");
        String[] sides = part.substring(4).split("\\|", -1);
        List<List<String>> forms = new ArrayList<>();
        for (String s : sides) {
            forms.add(s.isEmpty() ? List.of() : List.of(s.split(" ")));
        }
        if (forms.size() == 1) {
            forms.add(List.of());
        }
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            List<String> have = forms.get(i);
            List<String> want = forms.get(1 - i);
            if (have.size() > core.size()) {
                continue;
            }
            List<String> end = pre ? core.subList(0, have.size()) : core.subList(core.size() - have.size(), core.size());
            if (!end.equals(have)) {
                continue;
            }
            List<String> rest = pre ? core.subList(have.size(), core.size()) : core.subList(0, core.size() - have.size());
            List<String> next = new ArrayList<>();
            if (pre) {
                next.addAll(want);
                next.addAll(rest);
            } else {
                next.addAll(rest);
                next.addAll(want);
            }
            if (next.size() >= Courtesy.MIN_CORE && !next.equals(core)) {
                out.add(next);
            }
        }
        return out;
    }
}
