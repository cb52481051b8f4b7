package dev.shammah.routing;

import java.util.List;

/** ROUGE-L F1 over word tokens: longest common subsequence, the usual measure of answer overlap. */
public final class RougeL {
    private RougeL() {
    }

    public static double f1(String candidate, String reference) {
        List<String> c = TextMatch.tokens(candidate);
        List<String> r = TextMatch.tokens(reference);
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
