package dev.shammah.routing;

import java.util.Collections;
import java.util.List;
import java.util.Set;

import dev.shammah.local.Encoder;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

/** The judge of "would the teacher have said this?", with a stand-in encoder (all texts alike). */
class AnswerJudgeTest {
    /** An encoder that finds every two texts identical in meaning: the worst case for a similarity judge. */
    static final Encoder SAME_MEANING = new Encoder() {
        @Override
        public float[] embed(String text) {
            return new float[] {1, 0};
        }

        @Override
        public void close() {
        }
    };
    static final AnswerJudge JUDGE = new AnswerJudge(new Validator(SAME_MEANING, 0.8));

    @Test
    void acrossAnEditOnlyIdenticalAnswersPassUntilTheTeachersVariationIsKnown() {
        assertThat(JUDGE.acrossEdit("9 squared is 81.", " 9 squared  is 81.", Set.of(), List.of()).pass(), is(true));
        // Case is what the question was about: "HELLO WORLD" is not "hello world".
        assertThat(JUDGE.acrossEdit("HELLO WORLD", "hello world", Set.of("upper", "lower"), List.of()).pass(),
                is(false));
        assertThat(JUDGE.acrossEdit("The doctor thanked his patient warmly.", "The doctor thanked her patient warmly.",
                Set.of("his", "her"), List.of()).pass(), is(false));
    }

    @Test
    void aTeacherThatVariesEarnsSlackButEditedWordsMustNotAppearOnOneSideOnly() {
        List<Double> agreement = Collections.nCopies(40, 0.6);
        assertThat(AnswerJudge.threshold(agreement, 0.8), closeTo(0.8, 1e-9));
        AnswerJudge.Verdict v = JUDGE.acrossEdit("Paris is the capital of France, on the Seine.",
                "Paris is the capital of France, on the river Seine.", Set.of("in", "short"), agreement);
        assertThat(v.pass(), is(true));
        AnswerJudge.Verdict contrast = JUDGE.acrossEdit("Once a doctor met her patient in the small town clinic.",
                "Once a doctor met his patient in the small town clinic.", Set.of("her", "his"), agreement);
        assertThat(contrast.pass(), is(false));
        assertThat(contrast.basis(), is("contrast"));
    }

    @Test
    void theSameRequestIsJudgedByTheValidator() {
        assertThat(JUDGE.sameRequest("Paris.", "Paris.").basis(), is("identical"));
        // The stand-in encoder says same meaning; ROUGE-L of these is 0.67: mean 0.83 passes.
        assertThat(JUDGE.sameRequest("It is Paris.", "Paris it is.").pass(), is(true));
    }
}
