package dev.shammah.store;

import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.shammah.json.Json;
import dev.shammah.session.SessionSnapshot;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The {@code sessions} table. A turn holds its session through {@code turn_holder}; the hold lapses when it
 * expires or when the instance holding it stops its heartbeat ({@link Instances#dead}), so a killed instance never
 * leaves a conversation locked.
 */
final class SessionRows {
    /** A hold that can be taken: nobody's, expired, or a dead instance's. */
    static final String FREE = "(turn_holder is null or turn_expires < now() or " + Instances.dead("turn_instance") + ")";

    /** A session as a turn reads it. */
    record Held(List<JsonObject> history, long bytes, int turns, boolean pending) {
    }

    private SessionRows() {
    }

    /** Takes the session for a turn if it exists and nobody holds it; empty otherwise. */
    static Optional<Held> claim(Connection c, String owner, String id, String holder, String instance,
                                Duration hold, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update sessions set turn_holder = ?, turn_instance = ?, "
                + "turn_expires = now() + make_interval(secs => ?), named = true, last_activity = greatest(last_activity, ?) "
                + "where owner = ? and id = ? and " + FREE + " returning messages::text, bytes, turns, pending")) {
            s.setString(1, holder);
            s.setString(2, instance);
            s.setLong(3, hold.toSeconds());
            s.setTimestamp(4, Timestamp.from(now));
            s.setString(5, owner);
            s.setString(6, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                boolean pending = r.getBoolean(4);
                // A pending row whose first turn was abandoned is a new conversation again.
                return Optional.of(new Held(pending ? List.of() : messages(r.getString(1)), pending ? 0 : r.getLong(2),
                        pending ? 0 : r.getInt(3), pending));
            }
        }
    }

    /** Whether the session exists (so a failed claim means another turn holds it). */
    static boolean exists(Connection c, String owner, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select 1 from sessions where owner = ? and id = ?")) {
            s.setString(1, owner);
            s.setString(2, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** When the session expired or was evicted, if the bounded record still says so. */
    static Optional<Instant> gone(Connection c, String owner, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select at from sessions_gone where owner = ? and id = ?")) {
            s.setString(1, owner);
            s.setString(2, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getTimestamp(1).toInstant()) : Optional.empty();
            }
        }
    }

    /** Records a session as gone (evicted where the store could not see it). */
    static void gone(Connection c, String owner, String id, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into sessions_gone (owner, id, at) values (?, ?, ?) "
                + "on conflict (owner, id) do nothing")) {
            s.setString(1, owner);
            s.setString(2, id);
            s.setTimestamp(3, Timestamp.from(at));
            s.executeUpdate();
        }
    }

    /** Reserves a client-named id for its first turn; false when another first turn got there first. */
    static boolean reserve(Connection c, String owner, String id, String client, String holder, String instance,
                           Duration hold, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into sessions (owner, id, client, created_at, "
                + "last_activity, named, pending, turn_holder, turn_instance, turn_expires) values (?, ?, ?, ?, ?, true, "
                + "true, ?, ?, now() + make_interval(secs => ?)) on conflict do nothing")) {
            s.setString(1, owner);
            s.setString(2, id);
            s.setString(3, client);
            s.setTimestamp(4, Timestamp.from(now));
            s.setTimestamp(5, Timestamp.from(now));
            s.setString(6, holder);
            s.setString(7, instance);
            s.setLong(8, hold.toSeconds());
            return s.executeUpdate() == 1;
        }
    }

    /** Appends a turn to a session this turn holds; false when the hold was lost (deleted, or taken after expiry). */
    static boolean append(Connection c, String owner, String id, String holder, List<JsonObject> added, long bytes,
                          long input, long output, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update sessions set messages = messages || ?::jsonb, "
                + "bytes = bytes + ?, turns = turns + 1, input_tokens = input_tokens + ?, output_tokens = "
                + "output_tokens + ?, last_activity = ?, pending = false where owner = ? and id = ? and turn_holder = ?")) {
            s.setString(1, array(added));
            s.setLong(2, bytes);
            s.setLong(3, input);
            s.setLong(4, output);
            s.setTimestamp(5, Timestamp.from(now));
            s.setString(6, owner);
            s.setString(7, id);
            s.setString(8, holder);
            return s.executeUpdate() == 1;
        }
    }

    /**
     * A session kept by one instance, to be written to the store: new ({@code baseTurns} -1: absent, or still the
     * pending reservation its first turn made before the store went away), or one the store held with
     * {@code baseTurns} turns when this instance took it over.
     */
    record Kept(String owner, String id, String client, Instant created, List<JsonObject> messages, long bytes,
                int turns, long input, long output, Instant last, int baseTurns, boolean named) {
    }

    /**
     * Writes kept sessions in one batch; for each, whether it was written — false when somebody else changed it
     * meanwhile (a session is never overwritten over turns this instance did not see).
     */
    static boolean[] writeBack(Connection c, List<Kept> sessions) throws SQLException {
        boolean[] written = new boolean[sessions.size()];
        List<Integer> inserts = new ArrayList<>();
        List<Integer> updates = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            (sessions.get(i).baseTurns() < 0 ? inserts : updates).add(i);
        }
        if (!inserts.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("insert into sessions (owner, id, client, created_at, "
                    + "last_activity, messages, bytes, turns, input_tokens, output_tokens, named, pending) values "
                    + "(?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, false) on conflict (owner, id) do update set messages = "
                    + "excluded.messages, bytes = excluded.bytes, turns = excluded.turns, input_tokens = "
                    + "excluded.input_tokens, output_tokens = excluded.output_tokens, last_activity = "
                    + "excluded.last_activity, pending = false, turn_holder = null, turn_instance = null, turn_expires = "
                    + "null where sessions.pending")) {
                for (int i : inserts) {
                    Kept k = sessions.get(i);
                    s.setString(1, k.owner());
                    s.setString(2, k.id());
                    s.setString(3, k.client());
                    s.setTimestamp(4, Timestamp.from(k.created()));
                    s.setTimestamp(5, Timestamp.from(k.last()));
                    s.setString(6, array(k.messages()));
                    s.setLong(7, k.bytes());
                    s.setInt(8, k.turns());
                    s.setLong(9, k.input());
                    s.setLong(10, k.output());
                    s.setBoolean(11, k.named());
                    s.addBatch();
                }
                int[] n = s.executeBatch();
                for (int j = 0; j < n.length; j++) {
                    written[inserts.get(j)] = n[j] != 0;
                }
            }
        }
        if (!updates.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("update sessions set messages = ?::jsonb, bytes = ?, turns = ?, "
                    + "input_tokens = ?, output_tokens = ?, last_activity = ?, turn_holder = null, turn_instance = null, "
                    + "turn_expires = null where owner = ? and id = ? and turns = ? and not pending")) {
                for (int i : updates) {
                    Kept k = sessions.get(i);
                    s.setString(1, array(k.messages()));
                    s.setLong(2, k.bytes());
                    s.setInt(3, k.turns());
                    s.setLong(4, k.input());
                    s.setLong(5, k.output());
                    s.setTimestamp(6, Timestamp.from(k.last()));
                    s.setString(7, k.owner());
                    s.setString(8, k.id());
                    s.setInt(9, k.baseTurns());
                    s.addBatch();
                }
                int[] n = s.executeBatch();
                for (int j = 0; j < n.length; j++) {
                    written[updates.get(j)] = n[j] != 0;
                }
            }
        }
        return written;
    }

    /** Lets the next turn in; a reserved id whose first turn was never recorded is released whole. */
    static void release(Connection c, String owner, String id, String holder) throws SQLException {
        try (PreparedStatement d = c.prepareStatement("delete from sessions where owner = ? and id = ? and "
                + "turn_holder = ? and pending")) {
            d.setString(1, owner);
            d.setString(2, id);
            d.setString(3, holder);
            if (d.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement s = c.prepareStatement("update sessions set turn_holder = null, turn_instance = null, "
                + "turn_expires = null where owner = ? and id = ? and turn_holder = ?")) {
            s.setString(1, owner);
            s.setString(2, id);
            s.setString(3, holder);
            s.executeUpdate();
        }
    }

    /** Releases every hold of this instance but the turns in flight (after an outage in which releases failed). */
    static void releaseAllBut(Connection c, String instance, List<String> inFlight) throws SQLException {
        Array keep = c.createArrayOf("text", inFlight.toArray());
        try (PreparedStatement d = c.prepareStatement("delete from sessions where turn_instance = ? and pending and "
                + "not (turn_holder = any (?))")) {
            d.setString(1, instance);
            d.setArray(2, keep);
            d.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("update sessions set turn_holder = null, turn_instance = null, "
                + "turn_expires = null where turn_instance = ? and not (turn_holder = any (?))")) {
            s.setString(1, instance);
            s.setArray(2, keep);
            s.executeUpdate();
        }
    }

    static Optional<SessionSnapshot> snapshot(Connection c, String owner, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select created_at, last_activity, jsonb_array_length(messages), "
                + "turns, input_tokens, output_tokens from sessions where owner = ? and id = ? and not pending")) {
            s.setString(1, owner);
            s.setString(2, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SessionSnapshot(id, r.getTimestamp(1).toInstant(), r.getTimestamp(2).toInstant(),
                        r.getInt(3), r.getInt(4), r.getLong(5), r.getLong(6)));
            }
        }
    }

    static boolean delete(Connection c, String owner, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("delete from sessions where owner = ? and id = ? and not pending")) {
            s.setString(1, owner);
            s.setString(2, id);
            return s.executeUpdate() == 1;
        }
    }

    static String array(List<JsonObject> messages) {
        JsonArrayBuilder b = Json.createArrayBuilder();
        messages.forEach(b::add);
        return b.build().toString();
    }

    static List<JsonObject> messages(String json) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonValue v : Json.createReader(new StringReader(json)).readArray()) {
            out.add(v.asJsonObject());
        }
        return out;
    }
}
