package dev.shammah.local.hf;

import java.util.List;

/**
 * Text released as it is generated, minus any {@code stop_sequences}: text that could still be the start of a
 * stop sequence is held back until it is not, and generation ends at the first complete one, which the client
 * never sees (as with Claude, where {@code stop_sequence} names it instead).
 */
final class StopText {
    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private String matched;

    StopText(List<String> stops) {
        this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
    }

    /** Adds newly decoded text; returns what may be shown now (possibly ""). */
    String add(String text) {
        if (matched != null) {
            return "";
        }
        pending.append(text);
        int cut = -1;
        for (String s : stops) {
            int at = pending.indexOf(s);
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
                matched = s;
            }
        }
        if (cut >= 0) {
            String out = pending.substring(0, cut);
            pending.setLength(0);
            return out;
        }
        int hold = 0;
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, pending.length()); k > hold; k--) {
                if (pending.substring(pending.length() - k).equals(s.substring(0, k))) {
                    hold = k;
                    break;
                }
            }
        }
        String out = pending.substring(0, pending.length() - hold);
        pending.delete(0, pending.length() - hold);
        return out;
    }

    /** Text held back when generation ends for another reason. */
    String flush() {
        String out = pending.toString();
        pending.setLength(0);
        return out;
    }

    /** The stop sequence that ended the text, or null. */
    String matched() {
        return matched;
    }
}
