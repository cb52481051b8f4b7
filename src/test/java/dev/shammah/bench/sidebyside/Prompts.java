package dev.shammah.bench.sidebyside;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Messages API request bodies whose prompt is new every time — a run-wide counter and five random words — so that
 * no gateway can answer one from a cache or from what it learned: every request measured is a forward. Or, made
 * with a number of stored prompts, those prompts in turn: what a cache (nginx's) or Shammah's memory answers once it
 * has seen them.
 */
final class Prompts {
    /** How many prompts the local-path targets repeat. */
    static final int STORED = 20;
    /** Plain words only: they go into JSON (and wrk's Lua) without escaping. */
    static final String[] WORDS = {"amber", "basalt", "cedar", "delta", "ember", "fjord", "garnet", "harbor",
        "iris", "juniper", "kelp", "lagoon", "meadow", "nectar", "onyx", "prairie", "quartz", "river", "sierra",
        "tundra", "umber", "valley", "willow", "xenon", "yarrow", "zephyr", "anchor", "beacon", "canyon", "dune",
        "estuary", "falcon", "glacier", "heron", "island", "jasper", "kestrel", "lantern", "mesa", "nebula",
        "orchard", "pebble", "quill", "reef", "saffron", "thicket", "upland", "vortex", "wharf", "yonder"};

    static final String MODEL = "claude-bench";

    private final Random random = new Random(20261125);
    private final int stored;
    private long counter;

    /** Fresh prompts. */
    Prompts() {
        this(0);
    }

    /** {@code stored} prompts in turn (0 for fresh ones). */
    Prompts(int stored) {
        this.stored = stored;
    }

    /** The text of the {@code i}-th stored prompt: the same words every run. */
    static String stored(int i) {
        Random r = new Random(i);
        StringBuilder prompt = new StringBuilder(96).append("Stored question ").append(i).append(':');
        for (int k = 0; k < 5; k++) {
            prompt.append(' ').append(WORDS[r.nextInt(WORDS.length)]);
        }
        return prompt.append('?').toString();
    }

    /** A fresh request body; {@code stream} asks for server-sent events. */
    byte[] next(boolean stream) {
        String prompt;
        if (stored > 0) {
            prompt = stored((int) (counter++ % stored));
        } else {
            StringBuilder fresh = new StringBuilder(96).append("Bench question ").append(++counter).append(':');
            for (int i = 0; i < 5; i++) {
                fresh.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
            }
            prompt = fresh.append('?').toString();
        }
        return body(prompt, stream);
    }

    /** A Messages request body asking {@code prompt}. */
    static byte[] body(String prompt, boolean stream) {
        return ("{\"model\":\"" + MODEL + "\",\"max_tokens\":16," + (stream ? "\"stream\":true," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
