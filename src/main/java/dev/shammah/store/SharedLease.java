package dev.shammah.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.session.SessionLease;
import jakarta.json.JsonObject;

/**
 * One turn's hold on a shared session: a row it holds in the store, a session not stored yet (no client named it),
 * or one this instance keeps (not written yet, or the store out of reach). A turn it cannot record in the store — the store went
 * away mid-turn — is kept here ({@link KeptSessions}) and written back when the store returns.
 */
final class SharedLease implements SessionLease {
    private static final Logger LOG = Logger.getLogger(SharedLease.class.getName());

    /** How a turn holds its session. */
    enum Kind {
        /** A new session no client named: nothing in the database until its turn is recorded. */
        IMPLICIT,
        /** A client-named id reserved for its first turn (a pending row). */
        RESERVED,
        /** An existing session's row, held. */
        HELD,
        /** A session this instance keeps while the database is out of reach. */
        KEPT
    }

    private final SharedSessions sessions;
    private final Kind kind;
    private final String owner;
    private final String id;
    private final String client;
    private final String holder;
    private final List<JsonObject> history;
    private final long bytes;
    private final int turnsBefore;
    private final Instant created;
    private final KeptSessions.Turn local;

    SharedLease(SharedSessions sessions, Kind kind, String owner, String id, String client, String holder,
                List<JsonObject> history, long bytes, int turnsBefore, Instant created) {
        this.sessions = sessions;
        this.kind = kind;
        this.owner = owner;
        this.id = id;
        this.client = client;
        this.holder = holder;
        this.history = List.copyOf(history);
        this.bytes = bytes;
        this.turnsBefore = turnsBefore;
        this.created = created;
        this.local = null;
        if (holder != null) {
            sessions.holding(holder);
        }
    }

    SharedLease(SharedSessions sessions, KeptSessions.Turn local) {
        this.sessions = sessions;
        this.kind = Kind.KEPT;
        this.owner = local.owner();
        this.id = local.id();
        this.client = local.client();
        this.holder = null;
        this.history = local.history();
        this.bytes = local.bytes();
        this.turnsBefore = local.turns();
        this.created = local.created();
        this.local = local;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<JsonObject> history() {
        return history;
    }

    @Override
    public long historyBytes() {
        return bytes;
    }

    @Override
    public void record(List<JsonObject> added, JsonObject assistant, long input, long output) {
        List<JsonObject> turn = new ArrayList<>(added);
        turn.add(assistant);
        long size = turn.stream().mapToLong(m -> m.toString().length()).sum();
        Instant now = sessions.clock().instant();
        if (kind == Kind.KEPT) {
            local.record(turn, size, input, output, now);
            return;
        }
        if (kind == Kind.IMPLICIT) {
            // Nobody named it, and most such sessions (SDKs, Claude Code) are never continued: it is written a
            // moment later, off the request's path. A next turn here finds it kept; elsewhere, an instance waits
            // for an id this server issued to be written (SharedSessions#open).
            sessions.kept().keep(owner, id, client, created, turn, size, 1, input, output, now, -1, false);
            sessions.created(id, client);
            return;
        }
        boolean fresh = kind != Kind.HELD;
        try {
            if (!sessions.follower().reachable()) {
                // Known to be out of reach: keep it here at once rather than wait for a connection.
                throw new StoreUnavailable("the shared store is out of reach", null);
            }
            write(turn, size, input, output, now);
        } catch (SQLException | StoreUnavailable e) {
            if (e instanceof SQLException) {
                sessions.follower().failed(e);
            }
            List<JsonObject> all = new ArrayList<>(history);
            all.addAll(turn);
            sessions.kept().keep(owner, id, client, created, all, bytes + size, turnsBefore + 1, input, output, now,
                    fresh ? -1 : turnsBefore, true);
            LOG.log(Level.FINE, "session " + id + " kept here until the store is back", e);
        } catch (LostHold e) {
            // Deleted by its client, or its hold lapsed and another turn took it: as in one process, a turn
            // answered for a session that is no longer there is not kept.
            LOG.fine(() -> "session " + id + " was gone when its turn was recorded");
            return;
        }
        if (fresh) {
            sessions.created(id, client);
        }
    }

    private void write(List<JsonObject> turn, long size, long input, long output, Instant now) throws SQLException {
        try (Connection c = sessions.db().connection()) {
            if (!SessionRows.append(c, owner, id, holder, turn, size, input, output, now)) {
                throw new LostHold();
            }
        }
    }

    /** The turn's hold on its row was lost before the turn was recorded. */
    private static final class LostHold extends RuntimeException {
        LostHold() {
            super(null, null, false, false);
        }
    }

    @Override
    public void close() {
        if (kind == Kind.KEPT) {
            local.close();
            return;
        }
        if (holder == null) {
            return;
        }
        sessions.released(holder);
        try (Connection c = sessions.db().connection()) {
            SessionRows.release(c, owner, id, holder);
        } catch (SQLException e) {
            // Released with the rest of this instance's holds when the store is back.
            sessions.follower().failed(e);
        }
    }
}
