package dev.shammah.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.session.GoneSessions;
import dev.shammah.session.SessionIds;
import dev.shammah.session.SessionSnapshot;
import jakarta.json.JsonObject;

/**
 * Sessions this instance holds before they are in the shared store: new sessions nobody named (written a moment
 * after their first answer, by a writer thread, so a stateless request never waits on the database), and — while
 * the store is out of reach — every session started then or answered when the store went away mid-turn, so that no
 * request fails for want of the database. They continue here (one turn at a time, as anywhere) and are written, in
 * batches, as soon as the store can be reached: a new one is inserted, one the store already held is written only if
 * nobody changed it meanwhile (its turn count is still the one this instance started from); a conflict is logged
 * and the copy dropped rather than two histories merged. At most {@code server.max-sessions} are kept: past that
 * the least recently used makes room, and its client gets 404.
 */
final class KeptSessions {
    private static final Logger LOG = Logger.getLogger(KeptSessions.class.getName());

    private final Database db;
    private final BooleanSupplier reachable;
    private final Map<String, Kept> sessions = new ConcurrentHashMap<>();
    private final GoneSessions evicted;
    /** Evicted here and not yet recorded in the store as gone. */
    private final Queue<Map.Entry<String, Instant>> unrecorded = new ConcurrentLinkedQueue<>();
    private final int max;
    private final Soon writer = new Soon("shammah-session-writer", Duration.ZERO, this::writeBack);

    KeptSessions(Database db, BooleanSupplier reachable, int max) {
        this.db = db;
        this.reachable = reachable;
        this.max = max;
        this.evicted = new GoneSessions(max);
    }

    private static String key(String owner, String id) {
        return owner + '\u0000' + id;
    }

    /** One kept session; everything but the lock is guarded by it. */
    private static final class Kept {
        final String owner;
        final String id;
        final String client;
        final Instant created;
        final boolean named;
        /** Turns the store held when this instance took over the session; -1 when the store never had it. */
        final int baseTurns;
        final ReentrantLock turn = new ReentrantLock();
        final List<JsonObject> history;
        long bytes;
        int turns;
        long input;
        long output;
        Instant last;

        Kept(String owner, String id, String client, Instant created, boolean named, int baseTurns,
             List<JsonObject> history, long bytes, int turns, long input, long output, Instant last) {
            this.owner = owner;
            this.id = id;
            this.client = client;
            this.created = created;
            this.named = named;
            this.baseTurns = baseTurns;
            this.history = new ArrayList<>(history);
            this.bytes = bytes;
            this.turns = turns;
            this.input = input;
            this.output = output;
            this.last = last;
        }
    }

    /** A turn of a kept session, holding it. */
    final class Turn {
        private final Kept k;

        private Turn(Kept k) {
            this.k = k;
        }

        String owner() {
            return k.owner;
        }

        String id() {
            return k.id;
        }

        String client() {
            return k.client;
        }

        Instant created() {
            return k.created;
        }

        List<JsonObject> history() {
            return List.copyOf(k.history);
        }

        long bytes() {
            return k.bytes;
        }

        int turns() {
            return k.turns;
        }

        void record(List<JsonObject> turn, long size, long in, long out, Instant now) {
            k.history.addAll(turn);
            k.bytes += size;
            k.turns++;
            k.input += in;
            k.output += out;
            k.last = now;
        }

        void close() {
            k.turn.unlock();
            writeSoon();
        }
    }

    /** The kept session's turn, held (waiting up to {@code wait}); null when this instance keeps no such session. */
    Turn open(String owner, String id, Duration wait, Instant now) {
        Kept k = sessions.get(key(owner, id));
        if (k == null) {
            Instant when = evicted.when(key(owner, id));
            if (when != null) {
                throw new ShammahException(ErrorType.NOT_FOUND, "session_id: session '" + id + "' was evicted at "
                        + when + " (server.max-sessions) while the shared store was out of reach; start a new "
                        + "conversation without session_id");
            }
            return null;
        }
        try {
            if (!k.turn.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw SessionIds.busy(id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SessionIds.interrupted(id);
        }
        if (sessions.get(key(owner, id)) != k) {
            // Written to the store while we waited: continue it there.
            k.turn.unlock();
            return null;
        }
        return new Turn(k);
    }

    /** Keeps a session whose turn could not be recorded in the store. */
    void keep(String owner, String id, String client, Instant created, List<JsonObject> history, long bytes, int turns,
              long input, long output, Instant last, int baseTurns, boolean named) {
        sessions.put(key(owner, id), new Kept(owner, id, client, created, named, baseTurns, history, bytes, turns, input,
                output, last));
        while (sessions.size() > max && evictLeastRecent(last)) {
            // Made room.
        }
        writeSoon();
    }

    /** Has the writer write what is kept, soon and once for a burst (nothing while the store is out of reach). */
    private void writeSoon() {
        if (reachable.getAsBoolean()) {
            writer.ask();
        }
    }

    /** The least recently used kept session that no turn holds, sessions nobody named first. */
    private boolean evictLeastRecent(Instant now) {
        Kept oldest = null;
        for (Kept k : sessions.values()) {
            if (!k.turn.isLocked() && (oldest == null || (!k.named && oldest.named)
                    || (k.named == oldest.named && k.last.isBefore(oldest.last)))) {
                oldest = k;
            }
        }
        if (oldest == null || !sessions.remove(key(oldest.owner, oldest.id), oldest)) {
            return false;
        }
        evicted.put(key(oldest.owner, oldest.id), now);
        unrecorded.add(Map.entry(key(oldest.owner, oldest.id), now));
        return true;
    }

    /**
     * Writes every kept session that no turn holds now to the store (the rest are written when their turn ends),
     * and records those evicted here meanwhile as gone, so that another instance answers 404 for them rather than
     * start them again empty.
     */
    void writeBack() {
        if (!unrecorded.isEmpty()) {
            try (Connection c = db.connection()) {
                for (Map.Entry<String, Instant> e = unrecorded.peek(); e != null; e = unrecorded.peek()) {
                    int split = e.getKey().indexOf('\u0000');
                    SessionRows.gone(c, e.getKey().substring(0, split), e.getKey().substring(split + 1), e.getValue());
                    unrecorded.poll();
                }
            } catch (SQLException e) {
                LOG.log(Level.FINE, "could not record sessions evicted during the outage", e);
            }
        }
        List<Kept> batch = new ArrayList<>();
        for (Kept k : sessions.values()) {
            if (k.turn.tryLock()) {
                batch.add(k);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try (Connection c = db.connection()) {
            List<SessionRows.Kept> rows = new ArrayList<>();
            for (Kept k : batch) {
                rows.add(new SessionRows.Kept(k.owner, k.id, k.client, k.created, k.history, k.bytes, k.turns, k.input,
                        k.output, k.last, k.baseTurns, k.named));
            }
            boolean[] written = SessionRows.writeBack(c, rows);
            for (int i = 0; i < batch.size(); i++) {
                Kept k = batch.get(i);
                if (!written[i]) {
                    LOG.warning("Session " + k.id + " was continued elsewhere while this instance could not reach the "
                            + "shared store; the " + (k.turns - Math.max(0, k.baseTurns)) + " turn(s) answered here "
                            + "meanwhile are not merged into it");
                }
                sessions.remove(key(k.owner, k.id), k);
            }
        } catch (SQLException e) {
            LOG.log(Level.FINE, "kept sessions stay here: the store is out of reach", e);
        } finally {
            batch.forEach(k -> k.turn.unlock());
        }
    }

    /** Writes what is kept one last time (stopping). */
    void close() {
        writer.close();
        if (reachable.getAsBoolean()) {
            writeBack();
        }
        if (!sessions.isEmpty()) {
            LOG.warning("Stopping with " + sessions.size() + " sessions not written to the shared store (it was out of "
                    + "reach)");
        }
    }

    Optional<SessionSnapshot> snapshot(String owner, String id) {
        Kept k = sessions.get(key(owner, id));
        if (k == null) {
            return Optional.empty();
        }
        k.turn.lock();
        try {
            return Optional.of(new SessionSnapshot(k.id, k.created, k.last, k.history.size(), k.turns, k.input, k.output));
        } finally {
            k.turn.unlock();
        }
    }

    boolean delete(String owner, String id) {
        return sessions.remove(key(owner, id)) != null;
    }

    int size() {
        return sessions.size();
    }
}
