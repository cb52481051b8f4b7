package dev.shammah.learning;

import java.util.List;
import java.util.Set;

import dev.shammah.routing.Courtesy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

class RewordGuardTest {
    private final RewordGuard guard = new RewordGuard(Courtesy.builtIn());

    private String refusal(String a, String b) {
        String ab = guard.check(a, b).refusal();
        assertThat("the guard is symmetric", guard.check(b, a).refusal(), is(ab));
        return ab;
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', value = {
        "How can I improve my English speaking? | What should I do to improve my speaking in English?",
        "Hi! How do I learn Python? | how can I learn python",
        "What are the benefits of meditation? | What are some benefits of meditating?",
        "Which is the best laptop under 500 dollars? | What is the best laptop under 500 dollars?",
        "What is the scope in biotechnology? | What are the scopes of biotechnology?",
        "Which is the best earphone under rs500? | What is the best earphone under 500rs?",
        "How do I get rid of stress? | What are ways to get rid of stress?",
        // A trailing "why" asks for the reasons of the answer, not another question.
        "What are some of your favorite quotes and why? | What are some of your favorite quotes?",
        "Which is the best Hollywood movie ever? Why? | Which is the best Hollywood movie ever?",
        "Is coffee good for you? Why or why not? | Is coffee good for you?",
        // "Which place" asks where, "what year" when.
        "Which place is the best to visit in summer? | Where is the best place to visit in summer?",
        "What year did the Berlin Wall fall? | When did the Berlin Wall fall?",
        "What is the best place to travel in Europe? | Where is the best place to travel in Europe?",
        "What is the best time to visit Japan? | When is the best time to visit Japan?",
        // Intensifiers, "all time", a partitive "of", and a plural in -ies beside its singular in -ie.
        "What is the best movie ever? | What is the best movie?",
        "What exactly is machine learning? | What is machine learning?",
        "Which are the best Hollywood movies of all time? | Which is the all time best Hollywood movie?",
        "Which are the best movies of Hollywood? | What are some of the best Hollywood movies?",
        "How many calories are in a banana? | How many calorie are in a banana?",
        // "does" is a function word, not a plural: counted as content it made this one word added two.
        "How does someone start their own country? | How would one start a country?",
        "What does it feel like to be dying? | What does it feel like to die?",
        // The numbers of one list are a set.
        "Why were the 500 and 1000 rupee notes banned? | Why were the 1000 and 500 rupee notes banned?",
        "Name 3, 5 or 7 rivers. | Name 7, 3 or 5 rivers.",
        "Why were the rs500 and rs1000 notes banned? | Why were the rs1000 and rs500 notes banned?",
        // One currency, written two ways.
        "What are the best earphones under 500 INR? | What is the best earphone under 500rs?",
        "Is a laptop for 800 dollars good value? | Is a laptop for 800 USD good value?",
    })
    void rewordingsPass(String a, String b) {
        assertThat(refusal(a, b), nullValue());
    }

    /** Sibling families of the contrastive workload: each pair has different answers. */
    @ParameterizedTest(name = "{2}: {0} / {1}")
    @CsvSource(delimiter = '|', value = {
        "What is 12 minus 5? | What is 5 minus 12? | numbers",
        "What is 9 to the power of 2? | What is 12 to the power of 2? | numbers",
        "Is 40 older than 8 if they are ages? | Is 8 older than 40 if they are ages? | numbers",
        "Convert 25 degrees Celsius to Fahrenheit. | Convert 25 degrees Fahrenheit to Celsius. | direction",
        "Write a one-line thank-you note from a doctor to a patient. | Write a one-line thank-you note from a patient to a doctor. | direction",
        "Write a one-line thank-you note from a teacher to a student. | Write a one-line thank-you note from a student to a teacher. | direction",
        "Give one tip to decrease caffeine. | Give one tip to increase caffeine. | opposites",
        "Write 'machine learning' in upper case. | Write 'machine learning' in lower case. | opposites",
        "Who wrote Dracula? | Who wrote Ulysses? | entities",
        "Is Paris east of New York? | Is New York east of Paris? | direction",
        "Give one tip to increase sugar. | Give one tip to increase salt. | swapped-word",
        "Write a one-line thank-you note from a coach to a player. | Write a one-line thank-you note from a manager to a employee. | relation",
    })
    void contrastiveSiblingsAreRefused(String a, String b, String rule) {
        assertThat(refusal(a, b), is(rule));
    }

    /** Families the contrastive workload does not have: other units, roles, directions, names, qualifiers. */
    @ParameterizedTest(name = "{2}: {0} / {1}")
    @CsvSource(delimiter = '|', value = {
        "Which is the best earphone under rs500? | Which is the best earphone under rs1000? | numbers",
        "How many grams are in three cups of flour? | How many grams are in two cups of flour? | numbers",
        "Is 12 minus 5 more than 3? | Is 5 minus 12 more than 3? | numbers",
        "What can I buy for 500 rupees? | What can I buy for 500 dollars? | swapped-word",
        "What can I buy for rs500? | What can I buy for 500 euros? | swapped-word",
        "What is 3x4 in metres? | What is 4x3 in metres? | numbers",
        "How do I speed up my metabolism? | How do I slow down my metabolism? | opposites",
        "How do I upload files to Google Drive? | How do I download files from Google Drive? | opposites",
        "Is it safe to eat raw eggs? | Is it not safe to eat raw eggs? | negation",
        "How can I sleep without snoring? | How can I sleep while snoring? | negation",
        "Why did the Roman Empire fall? | When did the Roman Empire fall? | question",
        "Is Python good for web development? | What is Python good for in web development? | question",
        "Why is the sky blue? | What colour is the sky, and why? | question",
        "Why? | What? | question",
        "What is the time complexity of quicksort? | What is the complexity of quicksort? | question",
        "What is the best place to live? | How is the best place to live? | question",
        "Is Paris north of all the capitals? | Are all the capitals north of Paris? | direction",
        "Where did the Berlin Wall stand? | What year did the Berlin Wall fall? | question",
        "What is the capital of France? | What is the capital of Spain? | entities",
        "what is the capital of france | what is the capital of spain | swapped-word",
        "What does Donald Trump think about NASA? | What does Trump think about space research? | entities",
        "What does \"carpe diem\" mean? | What does \"memento mori\" mean? | quoted",
        "Explain `git rebase` to me | Explain `git merge` to me | quoted",
        "Write a story about a doctor and his patient. | Write a story about a doctor and her patient. | pronouns",
        "Is it likely to rain tomorrow? | Is it unlikely to rain tomorrow? | opposites",
        "How do I translate English to French? | How do I translate French to English? | direction",
        "Which is heavier, a kilogram of lead or a pound of feathers? | Which is lighter, a kilogram of lead or a pound of feathers? | opposites",
        "What is the best phone? | What is the best phone for photography and gaming? | added-detail",
        "What is the difference between a crocodile and an alligator? | What is the difference between a frog and a toad? | relation",
        "Summarise the letter from the landlord about the repairs. | Summarise the letter from the council about the repairs. | relation",
        "A poem from a sailor to the sea, in four lines. | A poem from a farmer to the land, in four lines. | relation",
        "How do I sort a list in ascending order? | How do I sort a list in descending order? | opposites",
    })
    void otherNearMissesAreRefused(String a, String b, String rule) {
        assertThat(refusal(a, b), is(rule));
    }

    @Test
    void numberWordsCountAsNumbersButOneDoesNot() {
        assertThat(refusal("Name three rivers in Europe", "Name five rivers in Europe"), is("numbers"));
        assertThat(refusal("Which one is the best camera?", "Which is the best camera?"), nullValue());
    }

    @Test
    void aPromptInCapitalsNamesNothing() {
        assertThat(PromptNames.in("WHAT IS THE BEST CAMERA"), is(Set.of()));
        assertThat(PromptNames.in("Where does NASA launch from in Florida?"), is(Set.of("nasa", "florida")));
        assertThat("a shouted run with a plain word in it names nothing",
                PromptNames.in("How can WE TOGETHER make the world better, says NASA?"), is(Set.of("nasa")));
        assertThat(PromptNames.in("Is the US FDA stricter than the EMA?"), is(Set.of("fda", "ema")));
    }

    private static final List<String> TEMPLATES = List.of("How long does it take to walk %s kilometres?",
            "What is %s times seven?", "Is %s a prime number?", "Write a poem with %s lines about the sea.",
            "Which laptop is best under %s dollars?");

    @Property
    void anotherNumberIsAnotherQuestion(@ForAll("templates") String template,
                                        @ForAll("numbers") int x, @ForAll("numbers") int y) {
        String a = template.formatted(x);
        String b = template.formatted(y);
        assertThat(refusal(a, b), is(x == y ? null : "numbers"));
    }

    @Property
    void aNegationIsAnotherQuestion(@ForAll("statements") String[] pair) {
        assertThat(refusal(pair[0] + " " + pair[1] + "?", pair[0] + " not " + pair[1] + "?"), is("negation"));
    }

    @Property
    void swappingTheEndsOfADirectionIsAnotherQuestion(@ForAll("roles") String[] roles) {
        String a = "Write a short letter from the " + roles[0] + " to the " + roles[1] + ".";
        String b = "Write a short letter from the " + roles[1] + " to the " + roles[0] + ".";
        assertThat(guard.check(a, b).pass(), is(roles[0].equals(roles[1])));
    }

    @Property
    void courtesyAndCaseAreNoReason(@ForAll("templates") String template, @ForAll("numbers") int x) {
        String a = template.formatted(x);
        assertThat(refusal(a, "Hi! " + a.toLowerCase(java.util.Locale.ROOT) + " Thanks!"), nullValue());
    }

    @Provide
    Arbitrary<String> templates() {
        return Arbitraries.of(TEMPLATES);
    }

    @Provide
    Arbitrary<Integer> numbers() {
        return Arbitraries.integers().between(2, 5000);
    }

    @Provide
    Arbitrary<String[]> statements() {
        return Combinators.combine(Arbitraries.of("Is it", "Was the museum", "Are the trains", "Is my visa"),
                Arbitraries.of("open on Sundays", "required for Canada", "running late today", "safe to use"))
                .as((a, b) -> new String[] {a, b});
    }

    @Provide
    Arbitrary<String[]> roles() {
        Arbitrary<String> role = Arbitraries.of("mayor", "nurse", "pilot", "baker", "judge", "farmer", "coach");
        return Combinators.combine(role, role).as((a, b) -> new String[] {a, b});
    }
}
