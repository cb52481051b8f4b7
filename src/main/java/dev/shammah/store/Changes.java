package dev.shammah.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes that other instances must see, one transaction each. Every such transaction first takes one
 * transaction-scoped advisory lock, and only then draws numbers from {@code change_seq} (column defaults and
 * {@code nextval} in the statements): so numbers are drawn, and become visible, in the order the lock was taken,
 * and an instance that has seen number N has seen every number below it — which is what lets {@link Follower}
 * follow the store by "everything above the highest number I have seen". A notification on {@value #CHANNEL},
 * delivered at commit (in commit order, so in number order), tells the others to look now rather than at their next
 * poll, and which tables changed ({@link #EXCHANGES}, {@link #EVIDENCE}, {@link #FORGOTTEN}), so that they read only
 * those.
 *
 * <p>It remembers the highest number this instance's own writes drew: they are applied here as they are made, not
 * read back, so the follower's watermark alone does not say everything this instance's copies hold — and a store
 * restored from a backup taken before them must still be recognised as older ({@link Follower}).
 *
 * <p>The price is that these writes are serialised across all instances; each is a few statements on one row or
 * a handful (docs/SCALING.md, "What breaks first").
 */
final class Changes {
    static final String CHANNEL = "shammah_changes";
    /** What a change touched, as the notification says: learned exchanges. */
    static final char EXCHANGES = 'x';
    /** Counts, blocked shapes, agreement scores. */
    static final char EVIDENCE = 'e';
    /** Tombstones (and the rows they removed). */
    static final char FORGOTTEN = 'f';
    /** Everything: what a poll without notification reads. */
    static final String ALL = "xef";

    private final Database db;
    private final String instance;
    private final AtomicLong drawnHere = new AtomicLong();

    Changes(Database db, String instance) {
        this.db = db;
        this.instance = instance;
    }

    Database db() {
        return db;
    }

    /** This instance's id: its changes are announced under it. */
    String instance() {
        return instance;
    }

    /** The highest change number a committed write of this instance drew; 0 before the first. */
    long drawnHere() {
        return drawnHere.get();
    }

    /** Runs {@code work} as one replicated write touching {@code kinds}; the notification carries both. */
    <T> T write(String kinds, Locked.Work<T> work) {
        long[] last = new long[1];
        T out;
        try (Connection c = db.connection()) {
            out = Locked.run(c, Locked.CHANGES, tx -> {
                T done = work.run(tx);
                // Who, what, and the highest number drawn so far: while this transaction holds the lock nobody else
                // draws, so every change up to that number is committed by the time this one is announced.
                try (PreparedStatement s = tx.prepareStatement("select pg_notify(?, ? || last_value), last_value "
                        + "from change_seq")) {
                    s.setString(1, CHANNEL);
                    s.setString(2, instance + "|" + kinds + "|");
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        last[0] = r.getLong(2);
                    }
                }
                return done;
            });
        } catch (SQLException e) {
            throw new StoreUnavailable("The shared store refused a write: " + Database.describe(e), e);
        }
        drawnHere.accumulateAndGet(last[0], Math::max);
        return out;
    }
}
