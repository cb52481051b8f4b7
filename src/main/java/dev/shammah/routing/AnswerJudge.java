package dev.shammah.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether a stored answer would have been the teacher's answer, from a fresh teacher answer. Two
 * questions, judged differently:
 * <ul>
 * <li><b>The same request</b> ({@link #sameRequest}): is the teacher stable here? Two answers to identical
 * requests may be worded differently and both be right, so the {@link Validator} decides (meaning and
 * wording), as it always has.</li>
 * <li><b>Across an edit</b> ({@link #acrossEdit}): did the wrapper change the answer? A similarity judge cannot
 * see that — "his patient" and "her patient" stories score high — so the bar is the teacher's own agreement
 * with itself: identical answers always pass; otherwise the case-sensitive ROUGE-L must reach the 10th
 * percentile of the agreement scores seen between the teacher's answers to identical requests (never below
 * the validator's pass score), and no word of the edit may appear in one answer but not the other. Until 20
 * such scores exist the bar is identity: a teacher that has not shown how much it varies gets no slack.</li>
 * </ul>
 */
public final class AnswerJudge {
    static final int MIN_SAMPLES = 20;

    private final Validator validator;

    public AnswerJudge(Validator validator) {
        this.validator = validator;
    }

    /**
     * @param pass      whether the stored answer counts as the teacher's
     * @param score     the similarity it was judged on (1 for identical)
     * @param agreement case-sensitive ROUGE-L of the two answers (what calibrates the edit bar)
     * @param basis     {@code identical}, {@code validator}, {@code agreement}, {@code contrast} or {@code below}
     */
    public record Verdict(boolean pass, double score, double agreement, String basis) {
    }

    public Verdict sameRequest(String stored, String teacher) {
        if (normalise(stored).equals(normalise(teacher))) {
            return new Verdict(true, 1, 1, "identical");
        }
        Validator.Verdict v = validator.compare(stored, teacher);
        return new Verdict(v.pass(), v.score(), RougeL.f1CaseSensitive(stored, teacher), v.pass() ? "validator" : "below");
    }

    public Verdict acrossEdit(String stored, String teacher, Set<String> changedWords, List<Double> agreement) {
        if (normalise(stored).equals(normalise(teacher))) {
            return new Verdict(true, 1, 1, "identical");
        }
        double score = RougeL.f1CaseSensitive(stored, teacher);
        if (score < threshold(agreement, validator.passScore())) {
            return new Verdict(false, score, score, "below");
        }
        if (!changedWords.isEmpty()) {
            Set<String> a = new HashSet<>(Words.canonical(stored));
            Set<String> b = new HashSet<>(Words.canonical(teacher));
            for (String w : changedWords) {
                if (a.contains(w) != b.contains(w)) {
                    return new Verdict(false, score, score, "contrast");
                }
            }
        }
        return new Verdict(true, score, score, "agreement");
    }

    /** The bar an answer across an edit must reach: 1 (identity) until the teacher's variation is known. */
    public static double threshold(List<Double> agreement, double floor) {
        if (agreement.size() < MIN_SAMPLES) {
            return 1;
        }
        List<Double> sorted = new ArrayList<>(agreement);
        Collections.sort(sorted);
        return Math.min(1, Math.max(floor, sorted.get(sorted.size() / 10)));
    }

    /** Compiled once: {@code String.replaceAll} compiled it per judgement (4% of the rewordings thread's samples). */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    static String normalise(String text) {
        return WHITESPACE.matcher(text.strip()).replaceAll(" ");
    }
}
