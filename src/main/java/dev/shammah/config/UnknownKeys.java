package dev.shammah.config;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.helidon.config.Config;

/**
 * A key in a config file that Shammah does not know is a mistake, not a wish to be ignored: "server.max-sesions: 5"
 * would otherwise leave the limit at its default without a word. Every value a file sets must be a known key or
 * lie under one (the items of a list such as {@code server.api-keys} or {@code learning.tenants}); the first that
 * is not stops start-up, naming the key, the file and the nearest known key.
 */
final class UnknownKeys {
    /**
     * Every key a file may set: those the environment can set too, and {@code learning.tenants} (a list of groups,
     * which no single variable can hold).
     */
    private static final List<String> KNOWN = Stream.concat(ConfigKeys.ALL.stream(),
            Stream.of(ConfigKeys.LEARNING_TENANTS)).toList();
    /**
     * Sections that were valid once and are read by nothing now (the byte-level student, retired 2026-11): a file
     * written for an earlier version still loads.
     */
    private static final List<String> RETIRED = List.of("model.student", "training");

    private UnknownKeys() {
    }

    /** @throws ConfigException naming the first unknown key of {@code layer}, read from {@code file} */
    static void check(Config layer, String file) {
        layer.traverse()
                .map(node -> node.key().toString())
                .filter(key -> !key.isEmpty() && !known(key) && !above(key))
                .findFirst()
                .ifPresent(key -> {
                    throw new ConfigException("Unknown configuration key '" + key + "' in " + file
                            + nearest(key).map(k -> "; did you mean " + k + "?").orElse(""));
                });
    }

    /** A known key, or a value under one (a list's items, a tenant group's fields). */
    static boolean known(String key) {
        for (String k : RETIRED) {
            if (key.equals(k) || key.startsWith(k + ".")) {
                return true;
            }
        }
        for (String k : KNOWN) {
            if (key.equals(k) || key.startsWith(k + ".")) {
                return true;
            }
        }
        return false;
    }

    /** A section that known keys lie under ("server", "model.lora"). */
    static boolean above(String key) {
        for (String k : KNOWN) {
            if (k.startsWith(key + ".")) {
                return true;
            }
        }
        return false;
    }

    /** The known key closest in spelling, if any is close enough to be what was meant. */
    static Optional<String> nearest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : KNOWN) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 4) ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
