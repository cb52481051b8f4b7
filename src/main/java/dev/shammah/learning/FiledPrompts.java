package dev.shammah.learning;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.shammah.local.Encoder;
import dev.shammah.local.Exchange;
import dev.shammah.local.PairedEncoder;
import dev.shammah.local.RecallModel;
import dev.shammah.local.TeacherMemory;

/**
 * The stored prompts filed by meaning, for {@link Rewordings} to look for candidates among: each exchange the memory
 * adds is embedded and filed in a {@link MeaningIndex} by tenant and context (on the observer's worker, so filings and
 * observations keep their order), and at start those already stored, a page at a time. Vectors of prompts recently
 * asked are remembered: the serving choice, the observation and a verification often ask the same one.
 */
final class FiledPrompts {
    private static final Logger LOG = Logger.getLogger(FiledPrompts.class.getName());
    /** Stored exchanges filed per task when the index is rebuilt at start. */
    private static final int BACKFILL_PAGE = 50;

    private final TeacherMemory memory;
    private final Encoder encoder;
    private final PacedWorker worker;
    private final MeaningIndex index = new MeaningIndex();
    private final Cache<String, float[]> vectors = Caffeine.newBuilder().executor(Runnable::run).maximumSize(4096).build();
    private volatile int indexed;

    /** Files what {@code memory} adds from now on, and what it holds, on {@code worker}. */
    FiledPrompts(TeacherMemory memory, Encoder encoder, PacedWorker worker) {
        this.memory = memory;
        this.encoder = encoder;
        this.worker = worker;
        memory.onAdded(e -> worker.submit(() -> file(e)));
        worker.submit(this::backfill);
    }

    /** A vector computed elsewhere for {@code prompt} (the request's, on its path). */
    void remember(String prompt, float[] vector) {
        vectors.put(prompt, vector);
    }

    /** The filed prompts of a tenant's context nearest {@code prompt}, nearest first. */
    List<MeaningIndex.Neighbour> nearest(String tenant, String contextKey, String prompt, int n) {
        return index.nearest(MeaningIndex.scope(tenant, contextKey), embed(prompt), n);
    }

    /**
     * How near the nearest filed prompt of a tenant's context is by the pair's first encoder alone, given the
     * request's vector by that encoder; -1 when nothing is filed there.
     */
    double nearestByFirst(String tenant, String contextKey, float[] firstVector) {
        double dot = index.bestPrefix(MeaningIndex.scope(tenant, contextKey), firstVector);
        return dot < 0 ? -1 : PairedEncoder.firstCosine(dot);
    }

    /** A filed exchange the memory no longer holds. */
    void remove(String exchangeId) {
        index.remove(exchangeId);
        indexed = index.size();
    }

    int size() {
        return indexed;
    }

    /** The prompt's vector, remembered for the next few thousand asked. */
    float[] embed(String prompt) {
        // Not computed inside the cache: an embedding takes milliseconds, and a cache computing a key holds others
        // that hash near it. Two threads embedding one prompt at once both pay; both get the same vector.
        float[] known = vectors.getIfPresent(prompt);
        if (known == null) {
            known = encoder.embed(prompt);
            vectors.put(prompt, known);
        }
        return known;
    }

    /** Files one stored exchange's prompt; a store without prompt text (shared, no log.store-text) has none to file. */
    private void file(Exchange e) {
        if (e.prompt() == null || !RecallModel.replayable(e)) {
            return;
        }
        try {
            index.add(MeaningIndex.scope(e.tenant(), e.contextKey()), e.id(), embed(e.prompt()));
            indexed = index.size();
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "Could not file a stored prompt by meaning: " + ex);
        }
    }

    /**
     * Exchanges stored before this start, filed in the background a page at a time, each page a task of its own
     * so that the worker's pacing holds the rebuild to a share of a core (a large memory takes minutes to embed);
     * until filed they are no one's candidates.
     */
    private void backfill() {
        List<String> tenants = memory.tenants().stream().map(TeacherMemory.TenantSummary::tenant).toList();
        if (!tenants.isEmpty()) {
            backfill(tenants, 0, 0);
        }
    }

    private void backfill(List<String> tenants, int tenant, int offset) {
        List<Exchange> page = memory.list(tenants.get(tenant), offset, BACKFILL_PAGE);
        page.forEach(this::file);
        if (page.size() == BACKFILL_PAGE) {
            worker.submit(() -> backfill(tenants, tenant, offset + BACKFILL_PAGE));
        } else if (tenant + 1 < tenants.size()) {
            worker.submit(() -> backfill(tenants, tenant + 1, 0));
        }
    }
}
