package dev.shammah.session;

import java.util.List;

import jakarta.json.JsonObject;

/** One turn's hold on its session, from reading the history to recording the answer. */
public interface SessionLease extends AutoCloseable {
    String id();

    /** The conversation so far. */
    List<JsonObject> history();

    /** Size of the history as JSON text: a conversation must still fit one request to the upstream. */
    long historyBytes();

    /** Records the answered turn: the messages it added and the answer (a new session is stored now). */
    void record(List<JsonObject> added, JsonObject assistant, long input, long output);

    /** Lets the next turn in; a new session whose turn was never recorded leaves nothing behind. */
    @Override
    void close();
}
