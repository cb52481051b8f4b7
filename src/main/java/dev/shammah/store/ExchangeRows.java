package dev.shammah.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.shammah.local.Exchange;
import dev.shammah.local.TeacherMemory;
import dev.shammah.routing.Evidence;

/** The {@code exchanges} table: an exchange and the keys it is found by, in and out of rows. */
final class ExchangeRows {
    static final String COLUMNS = "id, seq, tenant, context_key, prompt, answer, stop_reason, model, output_tokens, "
            + "created_at, stored_at, prefixes, suffixes, scope_key, shape_key, core_key, span_keys";

    /** One row as read back: the exchange, its keys, its change number and when the store committed it. */
    record Row(long seq, Exchange exchange, TeacherMemory.Keys keys, Instant storedAt) {
    }

    private ExchangeRows() {
    }

    /**
     * Inserts a learned exchange (inside a {@link Changes} write). Its prompt text goes in only when
     * {@code storeText}: the shared database is another place people can read, and {@code log.store-text} is the
     * one switch that allows prompts to be kept anywhere but this instance's own data dir.
     */
    static void insert(Connection c, Exchange e, TeacherMemory.Keys k, boolean storeText) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into exchanges (id, tenant, context_key, prompt, answer, "
                + "stop_reason, model, output_tokens, created_at, prefixes, suffixes, scope_key, shape_key, core_key, "
                + "span_keys) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, e.id());
            s.setString(2, e.tenant());
            s.setString(3, e.contextKey());
            s.setString(4, storeText ? e.prompt() : null);
            s.setString(5, e.answer());
            s.setString(6, e.stopReason());
            s.setString(7, e.model());
            s.setLong(8, e.outputTokens());
            s.setTimestamp(9, Timestamp.from(e.createdAt()));
            s.setArray(10, c.createArrayOf("text", e.prefixes().toArray()));
            s.setArray(11, c.createArrayOf("text", e.suffixes().toArray()));
            s.setString(12, k.scope());
            s.setString(13, k.shape());
            s.setString(14, k.core());
            s.setArray(15, c.createArrayOf("text", k.spans().toArray()));
            s.executeUpdate();
        }
    }

    static Row read(ResultSet r) throws SQLException {
        Exchange e = new Exchange(r.getString("id"), r.getString("tenant"), r.getString("context_key"),
                r.getString("prompt"), r.getString("answer"), r.getString("stop_reason"), r.getString("model"),
                r.getLong("output_tokens"), r.getTimestamp("created_at").toInstant(), strings(r.getArray("prefixes")),
                strings(r.getArray("suffixes")));
        TeacherMemory.Keys k = new TeacherMemory.Keys(r.getString("scope_key"), r.getString("shape_key"),
                r.getString("core_key"), strings(r.getArray("span_keys")));
        return new Row(r.getLong("seq"), e, k, r.getTimestamp("stored_at").toInstant());
    }

    private static List<String> strings(Array a) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Object o : (Object[]) a.getArray()) {
            out.add((String) o);
        }
        return out;
    }

    /**
     * Deletes a tenant's exchanges and every piece of evidence about them, and leaves a tombstone for the other
     * instances (inside a {@link Changes} write); returns the ids deleted.
     */
    static List<String> deleteTenant(Connection c, String tenant) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("delete from exchanges where tenant = ? returning id")) {
            s.setString(1, tenant);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
        }
        for (String table : List.of("evidence", "blocked_shapes", "agreement")) {
            try (PreparedStatement s = c.prepareStatement("delete from " + table + " where tenant = ?")) {
                s.setString(1, tenant);
                s.executeUpdate();
            }
        }
        tombstone(c, tenant, null);
        return ids;
    }

    /** Deletes one exchange of a tenant and its evidence; false when the tenant has none with that id. */
    static boolean deleteOne(Connection c, String tenant, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("delete from exchanges where tenant = ? and id = ?")) {
            s.setString(1, tenant);
            s.setString(2, id);
            if (s.executeUpdate() == 0) {
                return false;
            }
        }
        try (PreparedStatement s = c.prepareStatement(
                "delete from evidence where tenant = ? and subject in (?, ?)")) {
            s.setString(1, tenant);
            s.setString(2, Evidence.exchangeSubject(id));
            s.setString(3, Evidence.rewordingSubject(Evidence.rewordingEntry(id)));
            s.executeUpdate();
        }
        tombstone(c, tenant, id);
        return true;
    }

    private static void tombstone(Connection c, String tenant, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into forgotten (tenant, exchange_id) values (?, ?)")) {
            s.setString(1, tenant);
            s.setString(2, id);
            s.executeUpdate();
        }
    }
}
