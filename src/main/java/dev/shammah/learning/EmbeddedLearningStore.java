package dev.shammah.learning;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.local.Exchange;
import dev.shammah.local.TeacherMemory;
import dev.shammah.routing.Evidence;
import dev.shammah.routing.EvidenceStore;

/**
 * {@code store.kind: embedded}: the memory in {@code data-dir/memory} (Lucene, committed every
 * {@code learning.commit-interval}) and the evidence in {@code data-dir/evidence.json}, saved at most once a second
 * when it changed, and on close.
 */
public final class EmbeddedLearningStore implements LearningStore {
    private static final Logger LOG = Logger.getLogger(EmbeddedLearningStore.class.getName());

    private final TeacherMemory memory;
    private final EvidenceStore file;
    private final Evidence evidence;
    private final ScheduledExecutorService saver;

    public EmbeddedLearningStore(Path dataDir, Duration commitInterval) {
        this.memory = new TeacherMemory(dataDir.resolve("memory"), commitInterval);
        this.file = new EvidenceStore(dataDir);
        this.evidence = file.load();
        this.saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shammah-evidence-saver");
            t.setDaemon(true);
            return t;
        });
        // Evidence changes on every comparison; saving at most once a second bounds the fsyncs.
        saver.scheduleWithFixedDelay(this::saveIfDirty, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public TeacherMemory memory() {
        return memory;
    }

    @Override
    public Evidence evidence() {
        return evidence;
    }

    @Override
    public void keep(Exchange exchange, TeacherMemory.Keys keys) {
        memory.add(exchange, keys);
    }

    @Override
    public List<String> forgetTenant(String tenant) {
        List<String> ids = memory.deleteTenant(tenant);
        evidence.forget(tenant);
        return ids;
    }

    @Override
    public boolean forgetExchange(String tenant, String id) {
        if (!memory.delete(tenant, id)) {
            return false;
        }
        evidence.forgetExchanges(tenant, List.of(id));
        return true;
    }

    @Override
    public boolean current() {
        return true;
    }

    @Override
    public long dropped() {
        return 0;
    }

    private void saveIfDirty() {
        if (evidence.dirty()) {
            try {
                file.save(evidence);
            } catch (RuntimeException e) {
                evidence.markDirty();
                LOG.log(Level.WARNING, "Could not save router evidence: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        saver.shutdownNow();
        evidence.markDirty();
        saveIfDirty();
        memory.close();
    }
}
