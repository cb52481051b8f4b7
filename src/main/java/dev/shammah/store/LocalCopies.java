package dev.shammah.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.shammah.local.Exchange;
import dev.shammah.local.TeacherMemory;
import dev.shammah.routing.Evidence;

/**
 * This instance's copies of the shared store — the memory the router looks exchanges up in and the evidence it
 * decides by — and how each change is applied to them: a change read from the store, or one this instance made
 * itself (applied as it is made, and skipped when read back).
 */
final class LocalCopies {
    private final String instance;
    private final TeacherMemory memory;
    private final EvidenceOutbox outbox;
    /** Exchanges this instance is writing itself: applied here already, skipped when read back. */
    private final Set<String> own;
    private final Consumer<Duration> lagObserver;
    private final AtomicLong applied = new AtomicLong();
    private volatile Duration lastLag = Duration.ZERO;

    LocalCopies(String instance, TeacherMemory memory, EvidenceOutbox outbox, Set<String> own,
                Consumer<Duration> lagObserver) {
        this.instance = instance;
        this.memory = memory;
        this.outbox = outbox;
        this.own = own;
        this.lagObserver = lagObserver;
    }

    TeacherMemory memory() {
        return memory;
    }

    long applied() {
        return applied.get();
    }

    /** From "stored by another instance" to "applied here", for the newest exchange applied. */
    Duration lastLag() {
        return lastLag;
    }

    /** This instance is about to write an exchange: marked first, as the follower may read it back before it is added. */
    void writing(String id) {
        own.add(id);
    }

    /** The write failed: nothing to skip. */
    void abandoned(String id) {
        own.remove(id);
    }

    /** This instance wrote an exchange: visible to the next lookup here. */
    void written(Exchange e, TeacherMemory.Keys keys) {
        memory.add(e, keys);
    }

    /** An exchange read while loading the whole store (a fresh copy: nothing to replace). */
    void loaded(ExchangeRows.Row row) {
        if (!own.remove(row.exchange().id())) {
            memory.add(row.exchange(), row.keys());
        }
        applied.incrementAndGet();
    }

    /** An exchange learned since the last catch-up. */
    void learned(ExchangeRows.Row row) {
        if (own.remove(row.exchange().id())) {
            return;
        }
        memory.put(row.exchange(), row.keys());
        applied.incrementAndGet();
        Duration lag = Duration.between(row.storedAt(), Instant.now());
        lastLag = lag.isNegative() ? Duration.ZERO : lag;
        lagObserver.accept(lastLag);
    }

    void counted(long seq, String tenant, String subject, Evidence.Counts counts) {
        outbox.apply(tenant, subject, counts, seq);
        applied.incrementAndGet();
    }

    void blocked(String tenant, String shape) {
        outbox.evidence().putBlocked(tenant, shape);
        applied.incrementAndGet();
    }

    void agreed(String tenant, String byInstance, double score) {
        // This instance counted its own scores when it measured them.
        if (!byInstance.equals(instance)) {
            outbox.evidence().putAgreement(tenant, score);
        }
        applied.incrementAndGet();
    }

    /** A whole tenant forgotten ({@code exchangeId} null), or one exchange. */
    void forgotten(String tenant, String exchangeId) {
        if (exchangeId == null) {
            memory.deleteTenant(tenant);
            outbox.evidence().forget(tenant);
            outbox.forget(tenant);
        } else {
            memory.delete(tenant, exchangeId);
            outbox.evidence().forgetExchanges(tenant, List.of(exchangeId));
        }
        applied.incrementAndGet();
    }

    /** The store was replaced: everything copied from it goes. */
    void clear() {
        memory.clear();
        outbox.reset();
    }
}
