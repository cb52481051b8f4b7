package dev.shammah.learning;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.shammah.routing.Courtesy;

/**
 * Whether two prompts an embedding finds close may still ask different things, by rules a similarity score
 * cannot see: a pure function of the two texts (each text's facts are read once and remembered). A refused pair is never served one another's answer, whatever
 * its score. A rewording refused is one forwarded request; a near-miss let through is a wrong answer, so every
 * rule errs towards refusing. The rules look at the prompts' cores as {@link dev.shammah.routing.Equivalence}
 * reads them (the same words, courtesy phrases aside, quoted text and code kept verbatim), in this order:
 * <ul>
 * <li><b>numbers</b>: the same numbers in the same order, a list ("500 and 1000") in any order (digits, also inside
 * words like {@code rs500}, number words) — units and amounts are what a question is about;</li>
 * <li><b>negation</b>: as many negations ({@code not}, {@code never}, {@code without} …) in each;</li>
 * <li><b>question</b>: the same question words that change what is asked ({@code why/where/when/who/whom/whose};
 * "which place" is where, "what year" when, and so is a what-question naming a place or a time), and not a yes/no
 * question against a wh-question; a trailing "…, and why?" / "…? Why?" after a question asks the reasons for the
 * same answer and is not counted;</li>
 * <li><b>quoted</b>: the same quoted text and code, exactly;</li>
 * <li><b>pronouns</b>: the same genders among third-person pronouns ("his patient" / "her patient");</li>
 * <li><b>opposites</b>: no word whose opposite ({@link Opposites}: antonyms, {@code un-}/{@code dis-} …) stands
 * in the other instead;</li>
 * <li><b>entities</b>: every name (a capitalised word not opening a sentence, an acronym) of one is in the
 * other;</li>
 * <li><b>direction</b>: around a relational word both share ({@code to, from, than, minus, of, before …}), the
 * words both share stay on the same side ({@code from a teacher to a student} / {@code from a student to a
 * teacher}) — the order of the named things; a partitive "of" ("some of", "out of all", "of all time") relates
 * nothing;</li>
 * <li><b>relation</b>: after a relational word both use ({@code from, than, minus, versus, between}), the first
 * content word of each is in the other ("from a coach to a player" / "from a manager to an employee": the
 * things related are others);</li>
 * <li><b>added-detail</b>: one is not the other plus two or more words of content (a qualified question is
 * another question);</li>
 * <li><b>swapped-word</b>: not the same content words but one each way, unless the two are forms of one word (the
 * commonest hard negative: "the capital of france" / "the capital of spain").</li>
 * </ul>
 */
public final class RewordGuard {
    private final Courtesy courtesy;

    /** The guard's answer: pass, or the first rule the pair breaks. */
    public record Verdict(String refusal) {
        public static final Verdict PASS = new Verdict(null);

        public boolean pass() {
            return refusal == null;
        }
    }

    /**
     * Facts read, by prompt text: a stored prompt is read again for every request it is near, and a request for the
     * serving choice and then for its kind; a read is a tokenisation, stemming and a few pattern scans.
     */
    private final Cache<String, PromptFacts> read = Caffeine.newBuilder().executor(Runnable::run).maximumSize(4096).build();

    public RewordGuard(Courtesy courtesy) {
        this.courtesy = courtesy;
    }

    /** Whether {@code request} may be served {@code stored}'s answer as far as the rules can tell. Symmetric. */
    public Verdict check(String stored, String request) {
        return check(facts(stored), facts(request));
    }

    PromptFacts facts(String prompt) {
        PromptFacts f = read.getIfPresent(prompt);
        if (f == null) {
            f = PromptFacts.of(prompt, courtesy);
            read.put(prompt, f);
        }
        return f;
    }

    static Verdict check(PromptFacts a, PromptFacts b) {
        String refusal = refusal(a, b);
        return refusal == null ? Verdict.PASS : new Verdict(refusal);
    }

    private static String refusal(PromptFacts a, PromptFacts b) {
        if (!a.numbers().equals(b.numbers())) {
            return "numbers";
        }
        if (a.negations() != b.negations()) {
            return "negation";
        }
        if (!a.whWords().equals(b.whWords()) || a.questionType() * b.questionType() < 0) {
            return "question";
        }
        if (!a.quoted().equals(b.quoted())) {
            return "quoted";
        }
        if (!genders(a).equals(genders(b))) {
            return "pronouns";
        }
        if (Opposites.between(a.allStems(), b.allStems())) {
            return "opposites";
        }
        if (!b.allStems().containsAll(a.entities()) || !a.allStems().containsAll(b.entities())) {
            return "entities";
        }
        if (directionChanged(a, b)) {
            return "direction";
        }
        if (otherEnd(a, b) || otherEnd(b, a)) {
            return "relation";
        }
        if (addedDetail(a.content(), b.content()) || addedDetail(b.content(), a.content())) {
            return "added-detail";
        }
        if (swapped(a.content(), b.content())) {
            return "swapped-word";
        }
        return null;
    }

    private static final Set<String> HE = Set.of("he", "him", "his", "himself");
    private static final Set<String> SHE = Set.of("she", "her", "hers", "herself");

    private static Set<String> genders(PromptFacts f) {
        Set<String> out = new HashSet<>(2);
        for (String s : f.allStems()) {
            if (HE.contains(s)) {
                out.add("he");
            } else if (SHE.contains(s)) {
                out.add("she");
            }
        }
        return out;
    }

    /**
     * Whether the two differ in exactly one content word each way and the two are not forms of one word
     * ({@code learn}/{@code learning}). A synonym swapped this way is refused too: one lost local answer, where
     * letting such pairs through would serve the hard negatives a similarity score likes best.
     */
    private static boolean swapped(Set<String> a, Set<String> b) {
        Set<String> onlyA = new HashSet<>(a);
        onlyA.removeAll(b);
        Set<String> onlyB = new HashSet<>(b);
        onlyB.removeAll(a);
        if (onlyA.size() != 1 || onlyB.size() != 1) {
            return false;
        }
        String x = onlyA.iterator().next();
        String y = onlyB.iterator().next();
        int common = Math.min(4, Math.min(x.length(), y.length()));
        return common < 4 || !x.regionMatches(0, y, 0, common);
    }

    /** Whether {@code longer} is {@code shorter} plus two or more content words and nothing else. */
    private static boolean addedDetail(Set<String> shorter, Set<String> longer) {
        return longer.containsAll(shorter) && longer.size() - shorter.size() >= 2;
    }

    /**
     * Relational words whose object is one of the things related. Not "to", "of" or "by": as an infinitive
     * ("to die" / "to be dying") or a loose genitive they would refuse plain rewordings.
     */
    private static final List<String> RELATIONS = List.of("from", "than", "minus", "versus",
            "vs", "between");

    /** Whether, after a relational word both use, {@code a} names a thing {@code b} does not name at all. */
    private static boolean otherEnd(PromptFacts a, PromptFacts b) {
        for (String pivot : RELATIONS) {
            int pa = a.stems().indexOf(pivot);
            if (pa < 0 || !b.allStems().contains(pivot)) {
                continue;
            }
            for (int i = pa + 1; i < a.stems().size(); i++) {
                String w = a.stems().get(i);
                if (a.content().contains(w)) {
                    if (!b.content().contains(w)) {
                        return true;
                    }
                    break;
                }
            }
        }
        return false;
    }

    private static boolean directionChanged(PromptFacts a, PromptFacts b) {
        Set<String> shared = new HashSet<>(a.content());
        shared.retainAll(b.content());
        for (String pivot : PromptFacts.PIVOTS) {
            int pa = PromptFacts.pivotIndex(a.stems(), pivot);
            int pb = PromptFacts.pivotIndex(b.stems(), pivot);
            if (pa < 0 || pb < 0) {
                continue;
            }
            for (String w : shared) {
                int ia = a.stems().indexOf(w);
                int ib = b.stems().indexOf(w);
                if ((ia < pa) != (ib < pb)) {
                    return true;
                }
            }
        }
        return false;
    }
}
