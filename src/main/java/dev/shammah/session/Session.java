package dev.shammah.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.json.JsonObject;

/**
 * One conversation kept by the server: its messages (Messages API shape) and counters. Turns append under
 * a lock so that two concurrent requests on one session cannot interleave half-turns.
 */
public final class Session {
    private final String id;
    private final Instant createdAt;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<JsonObject> history = new ArrayList<>();
    private volatile Instant lastActivity;
    /** Named by a client (or continued by id): never evicted to make room, only expired or deleted. */
    private volatile boolean pinned;
    private long inputTokens;
    private long outputTokens;
    private int turns;

    private final String owner;

    Session(String id, Instant createdAt, String owner) {
        this.id = id;
        this.owner = owner;
        this.createdAt = createdAt;
        this.lastActivity = createdAt;
    }

    public String id() {
        return id;
    }

    /** The authenticated client that created it, or null (auth off): only it may use the session. */
    public String owner() {
        return owner;
    }

    /** Whether {@code caller} may use this session (anyone, when it has no owner). */
    public boolean usableBy(String caller) {
        return owner == null || owner.equals(caller);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant lastActivity() {
        return lastActivity;
    }

    void touch(Instant now) {
        lastActivity = now;
    }

    boolean pinned() {
        return pinned;
    }

    void pin() {
        pinned = true;
    }

    /** A copy of the conversation so far. */
    public List<JsonObject> history() {
        lock.lock();
        try {
            return List.copyOf(history);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records a completed turn: the messages the client added and the assistant's reply.
     *
     * @param added     messages of the request that were not already in the history
     * @param assistant the assistant message ({@code {"role":"assistant","content":[…]}})
     */
    public void recordTurn(List<JsonObject> added, JsonObject assistant, long input, long output, Instant now) {
        lock.lock();
        try {
            history.addAll(added);
            history.add(assistant);
            inputTokens += input;
            outputTokens += output;
            turns++;
            lastActivity = now;
        } finally {
            lock.unlock();
        }
    }

    public SessionSnapshot snapshot() {
        lock.lock();
        try {
            return new SessionSnapshot(id, createdAt, lastActivity, history.size(), turns, inputTokens, outputTokens);
        } finally {
            lock.unlock();
        }
    }
}
