package dev.shammah.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import dev.shammah.routing.Evidence;

/**
 * This instance's comparisons on their way to the shared store. Each is counted here at once (the router sees it
 * on the next request) and queued as an increment; {@link #flush} writes the queue in one transaction, and the
 * counts the database returns — everyone's, this instance's included — replace the local ones. A count read from
 * the store is always shown with this instance's increments that have not reached it yet added back
 * ({@link #apply}), so a failure recorded here is never undone by an older count from the store. While the store is
 * out of reach the queue simply waits (one entry per subject, however many comparisons), and is written when it
 * is back.
 *
 * <p>Everything touching the queue holds {@code synchronized (evidence)}: the lock {@link Evidence} records
 * comparisons under, so a comparison is never half counted. Counts carry the change number the store gave them,
 * and an older one never replaces a newer one: the follower and a flush may return the same row in either order.
 * A failure or a blocked shape is written at once ({@link #urgent}): it is what stops other instances serving an
 * answer; passes wait for the follower's next round.
 */
final class EvidenceOutbox implements Evidence.Journal {
    private record Key(String tenant, String subject) {
    }

    /** Compared by identity: two equal scores are still two samples. */
    private static final class Score {
        final String tenant;
        final double score;

        Score(String tenant, double score) {
            this.tenant = tenant;
            this.score = score;
        }

        String tenant() {
            return tenant;
        }
    }

    private record Shape(String tenant, String shape) {
    }

    private final Evidence evidence;
    private final Map<Key, Evidence.Counts> pending = new HashMap<>();
    /** The stored counts each subject shows (with its pending increments added), and their change number. */
    private final Map<Key, Stored> base = new HashMap<>();
    private final ReentrantLock flushing = new ReentrantLock();
    private volatile Runnable urgent = () -> { };
    private final Set<Shape> blocked = new LinkedHashSet<>();
    private final List<Score> agreement = new ArrayList<>();

    EvidenceOutbox() {
        this.evidence = new Evidence(this);
    }

    Evidence evidence() {
        return evidence;
    }

    /** What to run (quickly: it is called under the evidence lock) when a failure must reach the store now. */
    void onUrgent(Runnable r) {
        this.urgent = r;
    }

    @Override
    public void counted(String tenant, String subject, boolean pass) {
        pending.merge(new Key(tenant, subject), Evidence.Counts.NONE.plus(pass), Evidence.Counts::plus);
        if (!pass) {
            urgent.run();
        }
    }

    @Override
    public void blocked(String tenant, String shape) {
        blocked.add(new Shape(tenant, shape));
        urgent.run();
    }

    @Override
    public void agreement(String tenant, double score) {
        agreement.add(new Score(tenant, score));
        // A sample of the newest scores is all anyone keeps: an outage need not queue more than that.
        long mine = agreement.stream().filter(s -> s.tenant().equals(tenant)).count();
        if (mine > Evidence.AGREEMENT_SAMPLES) {
            for (int i = 0; i < agreement.size(); i++) {
                if (agreement.get(i).tenant().equals(tenant)) {
                    agreement.remove(i);
                    break;
                }
            }
        }
    }

    /** Entries waiting to be written. */
    int size() {
        synchronized (evidence) {
            return pending.size() + blocked.size() + agreement.size();
        }
    }

    /**
     * A count as the store has it (change {@code seq}), shown with this instance's increments not yet written;
     * ignored when a newer one is shown already.
     */
    void apply(String tenant, String subject, Evidence.Counts stored, long seq) {
        synchronized (evidence) {
            Key k = new Key(tenant, subject);
            Stored shown = base.get(k);
            if (shown == null || shown.seq() < seq) {
                base.put(k, new Stored(stored, seq));
            }
            show(k);
        }
    }

    /** Shows a subject as stored plus pending. */
    private void show(Key k) {
        Stored b = base.get(k);
        evidence.put(k.tenant(), k.subject(), (b == null ? Evidence.Counts.NONE : b.counts())
                .plus(pending.getOrDefault(k, Evidence.Counts.NONE)));
    }

    /** The store was replaced: nothing shown so far came from it. */
    void reset() {
        synchronized (evidence) {
            base.clear();
            evidence.clear();
        }
    }

    /** A tenant was forgotten: nothing of it is written any more. */
    void forget(String tenant) {
        synchronized (evidence) {
            pending.keySet().removeIf(k -> k.tenant().equals(tenant));
            base.keySet().removeIf(k -> k.tenant().equals(tenant));
            blocked.removeIf(s -> s.tenant().equals(tenant));
            agreement.removeIf(s -> s.tenant().equals(tenant));
        }
    }

    /** Writes what is queued (one flush at a time); on failure it stays queued and the failure is thrown. */
    void flush(Changes changes) {
        flushing.lock();
        try {
            flushLocked(changes);
        } finally {
            flushing.unlock();
        }
    }

    private void flushLocked(Changes changes) {
        Map<Key, Evidence.Counts> counts;
        List<Shape> shapes;
        List<Score> scores;
        synchronized (evidence) {
            if (pending.isEmpty() && blocked.isEmpty() && agreement.isEmpty()) {
                return;
            }
            counts = new HashMap<>(pending);
            shapes = new ArrayList<>(blocked);
            scores = new ArrayList<>(agreement);
        }
        Map<Key, Stored> stored = changes.write(String.valueOf(Changes.EVIDENCE),
                c -> write(c, changes.instance(), counts, shapes, scores));
        synchronized (evidence) {
            counts.forEach((k, written) -> {
                Evidence.Counts left = pending.getOrDefault(k, Evidence.Counts.NONE).minus(written);
                if (left.total() == 0) {
                    pending.remove(k);
                } else {
                    pending.put(k, left);
                }
                Stored now = stored.get(k);
                apply(k.tenant(), k.subject(), now.counts(), now.seq());
            });
            shapes.forEach(blocked::remove);
            Set<Score> written = Collections.newSetFromMap(new IdentityHashMap<>());
            written.addAll(scores);
            agreement.removeIf(written::contains);
        }
    }

    private record Stored(Evidence.Counts counts, long seq) {
    }

    private static Map<Key, Stored> write(Connection c, String instance, Map<Key, Evidence.Counts> counts,
                                          List<Shape> shapes, List<Score> scores) throws SQLException {
        Map<Key, Stored> stored = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("insert into evidence (tenant, subject, passes, fails) "
                + "values (?, ?, ?, ?) on conflict (tenant, subject) do update set passes = evidence.passes + "
                + "excluded.passes, fails = evidence.fails + excluded.fails, seq = nextval('change_seq') "
                + "returning passes, fails, seq")) {
            for (Map.Entry<Key, Evidence.Counts> e : counts.entrySet()) {
                s.setString(1, e.getKey().tenant());
                s.setString(2, e.getKey().subject());
                s.setLong(3, e.getValue().passes());
                s.setLong(4, e.getValue().fails());
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    stored.put(e.getKey(), new Stored(new Evidence.Counts(r.getLong(1), r.getLong(2)), r.getLong(3)));
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("insert into blocked_shapes (tenant, shape) values (?, ?) "
                + "on conflict do nothing")) {
            for (Shape shape : shapes) {
                s.setString(1, shape.tenant());
                s.setString(2, shape.shape());
                s.addBatch();
            }
            s.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement("insert into agreement (tenant, instance, score) "
                + "values (?, ?, ?)")) {
            for (Score score : scores) {
                s.setString(1, score.tenant());
                s.setString(2, instance);
                s.setDouble(3, score.score);
                s.addBatch();
            }
            s.executeBatch();
        }
        return stored;
    }
}
