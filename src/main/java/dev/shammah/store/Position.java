package dev.shammah.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;

/**
 * How far this instance's copies have followed the shared store, and which store: the highest change number
 * applied (the watermark) and the store's id. It decides what a round reads — the whole store at first, else what
 * is numbered above the watermark — and, on each new connection, whether the store is still the one followed: a
 * store with another id, or one whose last number is behind what the copies hold (restored from an older backup),
 * empties the copies and is read whole, so nothing only the old one held is served.
 */
final class Position {
    private static final Logger LOG = Logger.getLogger(Position.class.getName());

    private final LocalCopies copies;
    private final Changes changes;
    private long watermark;
    private String storeId;

    Position(LocalCopies copies, Changes changes) {
        this.copies = copies;
        this.changes = changes;
    }

    /** Reads and applies, within {@code c}'s snapshot, what {@code announced} says changed. */
    void catchUp(Connection c, boolean connected, Announced announced) throws SQLException {
        if (connected) {
            ChangeReader.Identity id = ChangeReader.identity(c);
            // What the copies hold: what was read, and what this instance wrote itself (applied, never read back).
            long holds = Math.max(watermark, changes.drawnHere());
            if (storeId != null && (!storeId.equals(id.storeId()) || id.lastDrawn() < holds)) {
                LOG.warning("The shared store was replaced (another database, or one restored from an older "
                        + "backup): rebuilding this instance's copy from it");
                copies.clear();
                watermark = 0;
            }
            storeId = id.storeId();
        }
        if (watermark == 0) {
            watermark = ChangeReader.loadAll(c, copies);
            return;
        }
        for (Change ch : ChangeReader.above(c, watermark, announced.upTo(), announced.kinds())) {
            ch.apply(copies);
            watermark = Math.max(watermark, ch.seq());
        }
        if (announced.upTo() != Long.MAX_VALUE) {
            // Every change up to it was announced, and those of other kinds were this instance's own.
            watermark = Math.max(watermark, announced.upTo());
        }
    }
}
