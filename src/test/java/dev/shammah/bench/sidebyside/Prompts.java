package dev.shammah.bench.sidebyside;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Messages API request bodies whose prompt is new every time — a run-wide counter and five random words — so that
 * no gateway can answer one from a cache or from what it learned: every request measured is a forward.
 */
final class Prompts {
    /** Plain words only: they go into JSON (and wrk's Lua) without escaping. */
    static final String[] WORDS = {"amber", "basalt", "cedar", "delta", "ember", "fjord", "garnet", "harbor",
        "iris", "juniper", "kelp", "lagoon", "meadow", "nectar", "onyx", "prairie", "quartz", "river", "sierra",
        "tundra", "umber", "valley", "willow", "xenon", "yarrow", "zephyr", "anchor", "beacon", "canyon", "dune",
        "estuary", "falcon", "glacier", "heron", "island", "jasper", "kestrel", "lantern", "mesa", "nebula",
        "orchard", "pebble", "quill", "reef", "saffron", "thicket", "upland", "vortex", "wharf", "yonder"};

    static final String MODEL = "claude-bench";

    private final Random random = new Random(20261125);
    private long counter;

    /** A fresh request body; {@code stream} asks for server-sent events. */
    byte[] next(boolean stream) {
        StringBuilder prompt = new StringBuilder(96).append("Bench question ").append(++counter).append(':');
        for (int i = 0; i < 5; i++) {
            prompt.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        prompt.append('?');
        return ("{\"model\":\"" + MODEL + "\",\"max_tokens\":16," + (stream ? "\"stream\":true," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
