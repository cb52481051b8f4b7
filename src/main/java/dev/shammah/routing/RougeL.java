package dev.shammah.routing;

import java.util.List;

/**
 * ROUGE-L F1 over word tokens: longest common subsequence, the usual measure of answer overlap. {@link #f1}
 * ignores case (the validator's wording half); {@link #f1CaseSensitive} does not ("HELLO" is not "hello" when
 * the question was which case to write it in).
 */
public final class RougeL {
    private RougeL() {
    }

    public static double f1(String candidate, String reference) {
        return f1(Words.tokens(candidate, true), Words.tokens(reference, true));
    }

    public static double f1CaseSensitive(String candidate, String reference) {
        return f1(Words.tokens(candidate, false), Words.tokens(reference, false));
    }

    static double f1(List<String> c, List<String> r) {
        if (c.isEmpty() || r.isEmpty()) {
            return c.isEmpty() && r.isEmpty() ? 1 : 0;
        }
        int[] prev = new int[r.size() + 1];
        int[] cur = new int[r.size() + 1];
        for (String ci : c) {
            for (int j = 1; j <= r.size(); j++) {
                cur[j] = ci.equals(r.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        int lcs = prev[r.size()];
        if (lcs == 0) {
            return 0;
        }
        double precision = (double) lcs / c.size();
        double recall = (double) lcs / r.size();
        return 2 * precision * recall / (precision + recall);
    }
}
