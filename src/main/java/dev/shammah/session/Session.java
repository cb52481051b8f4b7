package dev.shammah.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.json.JsonObject;

/**
 * One conversation kept by the server: its messages (Messages API shape) and counters. A turn holds the
 * session from reading its history to recording its answer ({@link SessionStore#open}), so two concurrent
 * turns of one conversation cannot both build on the same history, and the reaper and eviction never take a
 * session whose turn is in flight.
 */
public final class Session {
    private final String id;
    private final String owner;
    private final String client;
    private final Instant createdAt;
    private final ReentrantLock turn = new ReentrantLock();
    private final List<JsonObject> history = new ArrayList<>();
    private volatile Instant lastActivity;
    /** A client sent this id (its own, or ours back): it means to continue the conversation. */
    private volatile boolean named;
    /** Size of {@code history}'s first {@code measured} messages as JSON text. */
    private long bytes;
    private int measured;
    private long inputTokens;
    private long outputTokens;
    private int turns;

    Session(String id, String owner, String client, Instant createdAt) {
        this.id = id;
        this.owner = owner;
        this.client = client;
        this.createdAt = createdAt;
        this.lastActivity = createdAt;
    }

    public String id() {
        return id;
    }

    /** The authenticated client it belongs to, or null (auth off): only it can see the session. */
    public String owner() {
        return owner;
    }

    /** Who made it (a key, or an address with auth off): what the per-client limit counts. */
    String client() {
        return client;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant lastActivity() {
        return lastActivity;
    }

    /**
     * Made for a request without {@code session_id} and never asked for since: what Claude Code and the SDKs
     * leave behind (they resend the whole conversation), so the first to make room.
     */
    boolean implicit() {
        return !named;
    }

    void named() {
        named = true;
    }

    void touch(Instant now) {
        lastActivity = now;
    }

    /** Whether a turn is being answered now. */
    boolean busy() {
        return turn.isLocked();
    }

    boolean beginTurn(long waitMillis) throws InterruptedException {
        return turn.tryLock(waitMillis, TimeUnit.MILLISECONDS);
    }

    /** Holds a session that is being stored with its first turn, so nothing evicts it before the turn is in. */
    void claimTurn() {
        turn.lock();
    }

    void endTurn() {
        if (turn.isHeldByCurrentThread()) {
            turn.unlock();
        }
    }

    /** A copy of the conversation so far. */
    public synchronized List<JsonObject> history() {
        return List.copyOf(history);
    }

    /** Size of the history as JSON text: a conversation must still fit one request to the upstream. */
    public synchronized long bytes() {
        // Measured when asked, not per turn: serialising a turn only to count it is most of what recording an
        // implicit session costs, and an implicit session is never asked again.
        for (; measured < history.size(); measured++) {
            bytes += history.get(measured).toString().length();
        }
        return bytes;
    }

    synchronized void append(List<JsonObject> added, JsonObject assistant, long input, long output, Instant now) {
        history.addAll(added);
        history.add(assistant);
        inputTokens += input;
        outputTokens += output;
        turns++;
        lastActivity = now;
    }

    public synchronized SessionSnapshot snapshot() {
        return new SessionSnapshot(id, createdAt, lastActivity, history.size(), turns, inputTokens, outputTokens);
    }
}
