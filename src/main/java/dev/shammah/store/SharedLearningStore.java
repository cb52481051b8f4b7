package dev.shammah.store;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.learning.LearningStore;
import dev.shammah.local.Exchange;
import dev.shammah.local.TeacherMemory;
import dev.shammah.routing.Evidence;

/**
 * {@code store.kind: postgres}: what is learned is written to the shared database, and this instance looks it up
 * in its own copies, which a {@link Follower} keeps current. An exchange this instance learns goes to the database
 * first and then into its copy at once (so the next request here finds it); one it cannot write — the database out
 * of reach — is dropped and counted, never kept only here, so that every instance knows the same things.
 */
final class SharedLearningStore implements LearningStore {
    private static final Logger LOG = Logger.getLogger(SharedLearningStore.class.getName());

    private final Changes changes;
    private final LocalCopies copies;
    private final EvidenceOutbox outbox;
    private final Follower follower;
    private final boolean storeText;
    private final AtomicLong dropped = new AtomicLong();
    private final Runnable droppedMeter;

    SharedLearningStore(Changes changes, LocalCopies copies, EvidenceOutbox outbox, Follower follower,
                        boolean storeText, Runnable droppedMeter) {
        this.changes = changes;
        this.copies = copies;
        this.outbox = outbox;
        this.follower = follower;
        this.storeText = storeText;
        this.droppedMeter = droppedMeter;
    }

    @Override
    public TeacherMemory memory() {
        return copies.memory();
    }

    @Override
    public Evidence evidence() {
        return outbox.evidence();
    }

    @Override
    public void keep(Exchange exchange, TeacherMemory.Keys keys) {
        if (!follower.reachable()) {
            drop(null);
            return;
        }
        Exchange kept = storeText ? exchange : exchange.withoutPrompt();
        copies.writing(kept.id());
        try {
            changes.write(String.valueOf(Changes.EXCHANGES), c -> {
                ExchangeRows.insert(c, kept, keys, storeText);
                return null;
            });
        } catch (StoreUnavailable e) {
            copies.abandoned(kept.id());
            drop(e);
            return;
        }
        copies.written(kept, keys);
    }

    private void drop(StoreUnavailable e) {
        dropped.incrementAndGet();
        droppedMeter.run();
        if (e != null) {
            LOG.log(Level.FINE, "an exchange could not be written to the shared store", e);
            follower.failed(e);
        }
    }

    @Override
    public List<String> forgetTenant(String tenant) {
        List<String> ids = write(c -> ExchangeRows.deleteTenant(c, tenant));
        copies.forgotten(tenant, null);
        return ids;
    }

    @Override
    public boolean forgetExchange(String tenant, String id) {
        if (!write(c -> ExchangeRows.deleteOne(c, tenant, id))) {
            return false;
        }
        copies.forgotten(tenant, id);
        return true;
    }

    /** Forgetting is what a person asked for: it happens in the shared store or not at all, and they are told. */
    private <T> T write(Locked.Work<T> work) {
        try {
            return changes.write(Changes.ALL, work);
        } catch (StoreUnavailable e) {
            follower.failed(e);
            throw new ShammahException(ErrorType.UNAVAILABLE, "The shared store (store.url) is out of reach, so "
                    + "nothing was deleted; retry when it is back");
        }
    }

    @Override
    public boolean current() {
        return follower.current();
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        try {
            outbox.flush(changes);
        } catch (StoreUnavailable e) {
            if (outbox.size() > 0) {
                LOG.warning("Stopping with " + outbox.size() + " evidence counts not written to the shared store ("
                        + Database.describe(e) + ")");
            }
        }
        follower.close();
        copies.memory().close();
    }
}
