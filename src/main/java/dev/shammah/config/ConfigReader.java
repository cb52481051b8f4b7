package dev.shammah.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.helidon.config.Config;

/**
 * Typed reads with messages that name the key; every key has a built-in default. Each key is taken whole
 * from the highest layer that sets it. Layers are kept apart rather than merged into one tree, because a
 * merged tree would splice a list from one layer with a value from another.
 */
final class ConfigReader {
    private final List<Config> layers;

    ConfigReader(List<Config> layers) {
        this.layers = List.copyOf(layers);
    }

    Config node(String key) {
        for (Config layer : layers) {
            Config node = layer.get(key);
            if (node.exists()) {
                return node;
            }
        }
        return layers.get(layers.size() - 1).get(key);
    }

    String string(String key) {
        Config node = node(key);
        if (!node.exists()) {
            throw new ConfigException("Missing configuration key " + key + " (built-in defaults not found)");
        }
        if (!node.isLeaf()) {
            throw new ConfigException("Invalid configuration: " + key + " must be a single value");
        }
        return node.asString().orElse("");
    }

    int integer(String key, int min, int max) {
        return intIn(key, string(key), min, max);
    }

    boolean bool(String key) {
        String v = string(key).trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException("Invalid configuration: " + key
                    + " must be true or false (got '" + v + "')");
        };
    }

    double fraction(String key) {
        double d = number(key);
        if (d < 0 || d > 1) {
            throw new ConfigException("Invalid configuration: " + key + " must be between 0 and 1 (got '"
                    + string(key) + "')");
        }
        return d;
    }

    double nonNegative(String key) {
        double d = number(key);
        if (d < 0) {
            throw new ConfigException("Invalid configuration: " + key + " must not be negative (got '"
                    + string(key) + "')");
        }
        return d;
    }

    private double number(String key) {
        String v = string(key).trim();
        try {
            double d = Double.parseDouble(v);
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ConfigException("Invalid configuration: " + key + " must be a number (got '" + v + "')");
        }
    }

    Duration duration(String key) {
        return Durations.parse(key, string(key));
    }

    /** A YAML list, or one comma-separated string (the only way an environment variable can hold a list). */
    List<String> list(String key) {
        Config node = node(key);
        if (node.type() == Config.Type.LIST) {
            return node.asList(String.class).get().stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        if (!node.exists() || node.type() == Config.Type.OBJECT) {
            return List.of();
        }
        return Arrays.stream(node.asString().orElse("").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    static int intIn(String key, String text, int min, int max) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            String range = max == Integer.MAX_VALUE ? "an integer ≥ " + min : "an integer from " + min + " to " + max;
            throw new ConfigException("Invalid configuration: " + key + " must be " + range + " (got '" + text + "')");
        }
    }
}
