package dev.shammah.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.shammah.routing.Evidence;

/** Reads the shared store's changes, inside the follower's snapshot transaction. */
final class ChangeReader {
    private ChangeReader() {
    }

    /** The store's id and the last change number it has drawn. */
    record Identity(String storeId, long lastDrawn) {
    }

    static Identity identity(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select store_id::text, (select last_value from change_seq) from store_info")) {
            r.next();
            return new Identity(r.getString(1), r.getLong(2));
        }
    }

    /**
     * The first catch-up: every table read whole and applied (what was forgotten is already gone from them);
     * returns the highest change number read.
     */
    static long loadAll(Connection c, LocalCopies copies) throws SQLException {
        long max = 0;
        try (PreparedStatement s = c.prepareStatement("select " + ExchangeRows.COLUMNS + " from exchanges order by seq")) {
            s.setFetchSize(1000);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ExchangeRows.Row row = ExchangeRows.read(r);
                    copies.loaded(row);
                    max = Math.max(max, row.seq());
                }
            }
        }
        for (Change ch : evidence(c, 0, Long.MAX_VALUE)) {
            ch.apply(copies);
            max = Math.max(max, ch.seq());
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select coalesce(max(seq), 0) from forgotten")) {
            r.next();
            max = Math.max(max, r.getLong(1));
        }
        copies.memory().refresh();
        return max;
    }

    /**
     * Every change above {@code from} and up to {@code upTo} of the kinds named ({@link Changes#ALL} for all), in
     * change order.
     */
    static List<Change> above(Connection c, long from, long upTo, String kinds) throws SQLException {
        List<Change> changes = new ArrayList<>();
        if (kinds.indexOf(Changes.EXCHANGES) >= 0) {
            try (PreparedStatement s = c.prepareStatement("select " + ExchangeRows.COLUMNS
                    + " from exchanges where seq > ? and seq <= ?")) {
                s.setLong(1, from);
                s.setLong(2, upTo);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        changes.add(new Change.Learned(ExchangeRows.read(r)));
                    }
                }
            }
        }
        if (kinds.indexOf(Changes.EVIDENCE) >= 0) {
            changes.addAll(evidence(c, from, upTo));
        }
        if (kinds.indexOf(Changes.FORGOTTEN) < 0) {
            changes.sort(Comparator.comparingLong(Change::seq));
            return changes;
        }
        try (PreparedStatement s = c.prepareStatement("select seq, tenant, exchange_id from forgotten where seq > ? "
                + "and seq <= ?")) {
            s.setLong(1, from);
            s.setLong(2, upTo);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    changes.add(new Change.Forgotten(r.getLong(1), r.getString(2), r.getString(3)));
                }
            }
        }
        changes.sort(Comparator.comparingLong(Change::seq));
        return changes;
    }

    /** Counts, blocked shapes and agreement scores above {@code from}, up to {@code upTo}. */
    private static List<Change> evidence(Connection c, long from, long upTo) throws SQLException {
        List<Change> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select seq, tenant, subject, passes, fails from evidence "
                + "where seq > ? and seq <= ?")) {
            s.setLong(1, from);
            s.setLong(2, upTo);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Change.Counted(r.getLong(1), r.getString(2), r.getString(3),
                            new Evidence.Counts(r.getLong(4), r.getLong(5))));
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("select seq, tenant, shape from blocked_shapes where seq > ? "
                + "and seq <= ?")) {
            s.setLong(1, from);
            s.setLong(2, upTo);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Change.Blocked(r.getLong(1), r.getString(2), r.getString(3)));
                }
            }
        }
        // Only the newest scores are ever kept per tenant: a first catch-up need not read older ones.
        try (PreparedStatement s = c.prepareStatement("select seq, tenant, instance, score from (select *, row_number() "
                + "over (partition by tenant order by seq desc) as newest from agreement where seq > ? and seq <= ?) a "
                + "where newest <= ? order by seq")) {
            s.setLong(1, from);
            s.setLong(2, upTo);
            s.setInt(3, Evidence.AGREEMENT_SAMPLES);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Change.Agreed(r.getLong(1), r.getString(2), r.getString(3), r.getDouble(4)));
                }
            }
        }
        return out;
    }
}
