package dev.shammah.bench.sidebyside;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A markdown table padded into columns, so the same text reads well in a terminal and renders on a forge. */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    Table row(Object... cells) {
        rows.add(Arrays.stream(cells).map(String::valueOf).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String markdown() {
        int[] width = new int[header.size()];
        for (List<String> r : concat()) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder s = new StringBuilder();
        line(s, header, width);
        List<String> rule = new ArrayList<>();
        for (int w : width) {
            rule.add("-".repeat(Math.max(3, w)));
        }
        line(s, rule, width);
        rows.forEach(r -> line(s, r, width));
        return s.toString();
    }

    private List<List<String>> concat() {
        List<List<String>> all = new ArrayList<>(rows);
        all.add(header);
        return all;
    }

    private static void line(StringBuilder s, List<String> cells, int[] width) {
        s.append('|');
        for (int i = 0; i < width.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            s.append(' ').append(c).append(" ".repeat(Math.max(0, width[i] - c.length()))).append(" |");
        }
        s.append('\n');
    }
}
