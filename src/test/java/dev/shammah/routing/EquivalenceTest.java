package dev.shammah.routing;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * When two prompts are the same request. The properties are the general rule — any change of order or of any
 * word inside a request makes it a different request; only whole wrappers at either end can be forgiven, and
 * only by evidence — checked over generated sentences, not a list of examples.
 */
class EquivalenceTest {
    static final Courtesy COURTESY = Courtesy.builtIn();
    static final Equivalence EQ = new Equivalence(COURTESY);

    static Equivalence.Edit compare(String a, String b) {
        return EQ.compare(PromptForm.of(a, COURTESY), PromptForm.of(b, COURTESY));
    }

    @Test
    void caseWhitespacePunctuationAndContractionsAreTheSameRequest() {
        assertThat(compare("What is 9 to the power of 2?", "  what is 9 to the power of 2.  ").relation(),
                is(Equivalence.Relation.SAME));
        assertThat(compare("What's the capital of France?", "What is the capital of France").relation(),
                is(Equivalence.Relation.SAME));
        assertThat(compare("Convert the following measurement.\n\n3 ft = _____ in.",
                "CONVERT THE FOLLOWING MEASUREMENT.\n\n3 FT = _____ IN?").relation(), is(Equivalence.Relation.SAME));
        assertThat(compare("Write 'Hello World' in upper case.", "write \u2018hello world\u2019 in upper case")
                .relation(), is(Equivalence.Relation.SAME));
    }

    @Test
    void courtesyWrappersAreNamedAsEditsNotIgnored() {
        Equivalence.Edit e = compare("Hi! Give one tip to decrease caffeine. Thank you.",
                "Give one tip to decrease caffeine.");
        assertThat(e.relation(), is(Equivalence.Relation.WRAPPED));
        assertThat(e.parts(), containsInAnyOrder("pre:hi", "suf:thank you"));
        assertThat(e.parts().stream().allMatch(EQ::isCourtesy), is(true));
        assertThat(compare("Quick question: Who wrote Dracula?", "Can you tell me: who wrote Dracula").parts(),
                containsInAnyOrder("pre:quick question", "pre:can you tell me"));
    }

    @Test
    void otherWrappersAreLearnableEditsThatAreNotCourtesy() {
        Equivalence.Edit e = compare("In short: explain how a rainbow forms", "Explain how a rainbow forms");
        assertThat(e.relation(), is(Equivalence.Relation.WRAPPED));
        assertThat(e.parts(), contains("pre:in short"));
        assertThat(EQ.isCourtesy("pre:in short"), is(false));
        assertThat(e.changedWords(), containsInAnyOrder("in", "short"));
    }

    @Test
    void theExamplesFromTheFieldAreDifferentRequests() {
        List<String[]> pairs = List.of(
                new String[] {"Convert 5 kilometers to miles.", "Convert 5 miles to kilometers."},
                new String[] {"Subtract 10 from 3.", "Subtract 3 from 10."},
                new String[] {"Is 5 greater than 7?", "Is 7 greater than 5?"},
                new String[] {"Write a story about a doctor and her patient", "Write a story about a doctor and his patient"},
                new String[] {"Rewrite in present tense: He cooked the dinner last night",
                        "Rewrite in present tense: She cooked the dinner last night"},
                new String[] {"Write a one-line thank-you note from a teacher to a student.",
                        "Write a one-line thank-you note from a student to a teacher."},
                new String[] {"Is London east of Tokyo?", "Is Tokyo east of London?"},
                new String[] {"Convert -40 degrees Celsius to Fahrenheit.", "Convert 40 degrees Celsius to Fahrenheit."},
                new String[] {"Do not translate this sentence into French", "Do translate this sentence into French"},
                new String[] {"Translate the phrase 'thank you' into French", "Translate the phrase into French"});
        for (String[] p : pairs) {
            assertThat(p[0] + " / " + p[1], compare(p[0], p[1]).relation(), is(Equivalence.Relation.DIFFERENT));
        }
        assertThat(compare("Write 'Hello World' in upper case please", "Write 'Hello World' in lower case")
                .relation(), is(Equivalence.Relation.DIFFERENT));
        assertThat(compare("What is the capital of France?", "Hi, what is the capital of Italy?").relation(),
                is(Equivalence.Relation.DIFFERENT));
    }

    static final List<String> WORDS = List.of("convert", "miles", "kilometers", "his", "her", "from", "to", "into",
            "not", "doctor", "patient", "teacher", "london", "tokyo", "greater", "less", "red", "blue", "write",
            "story", "about", "the", "a", "cat", "dog", "east", "west", "he", "she", "upper", "lower", "before",
            "after", "sum", "difference", "increase", "decrease");

    /** A sentence of 5–14 words from a pool that includes pronouns, prepositions, negations and names. */
    /**
     * A prompt whose text a shared store did not keep is compared in the form rebuilt from its courtesy phrases and
     * the core it was found by: that form must be the very form its text would give, or a wrapper could be misnamed.
     */
    @Property(tries = 300)
    void theFormRebuiltFromPhrasesAndCoreIsTheFormOfTheText(@ForAll("sentences") List<String> words,
                                                            @ForAll("positions") int[] at) {
        List<String> pre = List.of("hi", "quick question", "please", "hello there", "so");
        List<String> suf = List.of("thanks", "thank you so much", "please", "cheers");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < at[0] % 3; i++) {
            text.append(pre.get((at[0] + i) % pre.size())).append(", ");
        }
        text.append(String.join(" ", words)).append('?');
        for (int i = 0; i < at[1] % 3; i++) {
            text.append(' ').append(suf.get((at[1] + i) % suf.size())).append('!');
        }
        PromptForm form = PromptForm.of(text.toString(), COURTESY);
        assertThat(PromptForm.rebuilt(form.prefixes(), form.core(), form.suffixes()), is(form));
    }

    @Provide
    Arbitrary<List<String>> sentences() {
        return Arbitraries.of(WORDS).list().uniqueElements().ofMinSize(5).ofMaxSize(14);
    }

    private static String text(List<String> words) {
        return String.join(" ", words);
    }

    @Property(tries = 300)
    void swappingTwoWordsInsideARequestMakesADifferentRequest(@ForAll("sentences") List<String> s,
                                                              @ForAll("positions") int[] ij) {
        int i = 1 + ij[0] % (s.size() - 2);
        int j = 1 + ij[1] % (s.size() - 2);
        if (i == j) {
            return;
        }
        List<String> t = new ArrayList<>(s);
        t.set(i, s.get(j));
        t.set(j, s.get(i));
        Equivalence.Edit e = compare(text(s), text(t));
        assertThat(text(s) + " / " + text(t), e.relation(), is(not(Equivalence.Relation.SAME)));
        assertThat("a reordering is never only courtesy", e.relation() == Equivalence.Relation.WRAPPED
                && e.parts().stream().allMatch(EQ::isCourtesy), is(false));
    }

    @Property(tries = 300)
    void changingOneWordOrNumberInsideARequestMakesADifferentRequest(@ForAll("sentences") List<String> s,
                                                                    @ForAll("positions") int[] ij) {
        int i = 1 + ij[0] % (s.size() - 2);
        List<String> t = new ArrayList<>(s);
        String replacement = ij[1] % 3 == 0 ? Integer.toString(ij[1]) : WORDS.get(ij[1] % WORDS.size());
        if (replacement.equals(s.get(i))) {
            return;
        }
        t.set(i, replacement);
        assertThat(text(s) + " / " + text(t), compare(text(s), text(t)).relation(),
                is(Equivalence.Relation.DIFFERENT));
        List<String> inserted = new ArrayList<>(s);
        inserted.add(i, "not");
        assertThat(compare(text(s), text(inserted)).relation(), is(Equivalence.Relation.DIFFERENT));
    }

    @Property(tries = 200)
    void replacingTheFirstOrLastWordMakesADifferentRequest(@ForAll("sentences") List<String> s,
                                                            @ForAll("positions") int[] ij) {
        List<String> t = new ArrayList<>(s);
        int i = ij[0] % 2 == 0 ? 0 : s.size() - 1;
        String replacement = WORDS.get(ij[1] % WORDS.size());
        if (s.contains(replacement)) {
            return;
        }
        t.set(i, replacement);
        assertThat(text(s) + " / " + text(t), compare(text(s), text(t)).relation(),
                is(Equivalence.Relation.DIFFERENT));
    }

    @Property(tries = 200)
    void wordsAddedAtAnEndAreANamedEditThatIsNotCourtesy(@ForAll("sentences") List<String> s,
                                                         @ForAll("positions") int[] ij) {
        List<String> t = new ArrayList<>(s);
        String added = "xylophone";
        if (ij[0] % 2 == 0) {
            t.add(0, added);
        } else {
            t.add(added);
        }
        Equivalence.Edit e = compare(text(t), text(s));
        assertThat(e.relation(), is(Equivalence.Relation.WRAPPED));
        assertThat(e.parts(), contains((ij[0] % 2 == 0 ? "pre:" : "suf:") + added));
        assertThat(EQ.isCourtesy(e.parts().get(0)), is(false));
    }

    @Provide
    Arbitrary<int[]> positions() {
        return Combinators.combine(Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 1000))
                .as((a, b) -> new int[] {a, b});
    }

    @Test
    void applicationsFindTheCoreBehindALearnedWrapper() {
        List<String> core = PromptForm.of("in short explain how a rainbow forms", COURTESY).core();
        assertThat(Equivalence.applications("pre:in short", core).get(0),
                is(List.of("explain", "how", "a", "rainbow", "forms")));
        List<String> bare = PromptForm.of("explain how a rainbow forms", COURTESY).core();
        assertThat(Equivalence.applications("pre:in short", bare).get(0),
                is(List.of("in", "short", "explain", "how", "a", "rainbow", "forms")));
    }
}
