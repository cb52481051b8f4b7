package dev.shammah.local;

import java.util.Iterator;

/**
 * A model that answers on this machine, token by token. The iterator is pulled lazily, so a caller that stops
 * pulling (a client that went away) stops generation. Callers hold a permit of the model gate while they pull.
 */
public interface LocalModel {
    /** Model id reported in responses and /v1/models. */
    String id();

    /** The answer's tokens for a prompt; {@code candidate} is the router's best stored exchange, if any. */
    Iterator<String> generate(String prompt, Exchange candidate);
}
