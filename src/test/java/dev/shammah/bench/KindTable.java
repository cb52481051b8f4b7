package dev.shammah.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Local share and wrong local answers per workload kind ({@code first}, {@code repeat}, {@code reworded},
 * {@code near-miss} … whatever the file has, in the order it first shows them), and the wrong share among local
 * answers that were not exact repeats: an exact repeat is right by construction for any cache, so only the rest
 * says how far a cache can be trusted with other words.
 */
final class KindTable {
    /**
     * One request's outcome as the table needs it.
     *
     * @param exactRepeat its prompt's exact text was asked earlier in the workload
     */
    record Outcome(String kind, boolean local, boolean right, boolean exactRepeat) {
    }

    private KindTable() {
    }

    static String of(List<Outcome> outcomes) {
        Map<String, List<Outcome>> byKind = new LinkedHashMap<>();
        outcomes.forEach(o -> byKind.computeIfAbsent(o.kind().isEmpty() ? "(none)" : o.kind(),
                k -> new ArrayList<>()).add(o));
        StringBuilder sb = new StringBuilder();
        sb.append("| kind | requests | answered locally | local share | wrong local | wrong share of local |\n");
        sb.append("|---|---|---|---|---|---|\n");
        byKind.forEach((kind, list) -> sb.append(row(kind, list)));
        sb.append(row("**all**", outcomes));
        List<Outcome> other = outcomes.stream().filter(o -> o.local() && !o.exactRepeat()).toList();
        long wrong = other.stream().filter(o -> !o.right()).count();
        sb.append(String.format(Locale.ROOT, "%nLocal answers that were not exact repeats: %d, wrong %d (%s).%n",
                other.size(), wrong, share(wrong, other.size())));
        return sb.toString();
    }

    private static String row(String kind, List<Outcome> list) {
        long local = list.stream().filter(Outcome::local).count();
        long wrong = list.stream().filter(o -> o.local() && !o.right()).count();
        return String.format(Locale.ROOT, "| %s | %d | %d | %.1f%% | %d | %s |%n", kind, list.size(), local,
                100.0 * local / Math.max(1, list.size()), wrong, share(wrong, local));
    }

    /** "reworded 22.5%, near-miss 2.7%": each kind's local share, {@code first} left out. */
    static String byKind(List<Outcome> outcomes) {
        Map<String, long[]> kinds = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            if (!o.kind().isEmpty() && !"first".equals(o.kind())) {
                long[] k = kinds.computeIfAbsent(o.kind(), n -> new long[2]);
                k[0]++;
                k[1] += o.local() ? 1 : 0;
            }
        }
        List<String> parts = new ArrayList<>();
        kinds.forEach((kind, k) -> parts.add(String.format(Locale.ROOT, "%s %.1f%%", kind, 100.0 * k[1] / k[0])));
        return String.join(", ", parts);
    }

    static String share(long part, long whole) {
        return whole == 0 ? "–" : String.format(Locale.ROOT, "%.2f%%", 100.0 * part / whole);
    }
}
