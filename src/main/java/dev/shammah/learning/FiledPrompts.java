package dev.shammah.learning;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
    private final PairedEncoder encoder;
    private final PacedWorker worker;
    private final MeaningIndex index = new MeaningIndex();
    /**
     * Vectors of prompts embedded lately: a request's, asked again by its observation and by the filing of what was
     * learned from it, a few tasks later on the worker (its queue holds {@code learning.queue-size}, 1,000 by
     * default). At 3 KB a vector, 1,024 of them are 3 MB of heap at the cap; 4,096 were 12 MB.
     */
    private final Cache<String, float[]> vectors = Caffeine.newBuilder().executor(Runnable::run).maximumSize(1024).build();
    private volatile int indexed;
    /** How long a filing may wait before its scope counts as behind the memory ({@link #current}). */
    static final Duration MAX_LAG = Duration.ofSeconds(1);

    /**
     * Per scope, when each stored exchange added and not filed yet was queued, oldest first (the worker files in
     * order).
     */
    private final Map<String, Queue<Long>> unfiled = new ConcurrentHashMap<>();
    /** Scopes a filing was dropped from (the queue was full): behind for good in this process (the next start files
     * everything anew). */
    private final Set<String> behind = ConcurrentHashMap.newKeySet();
    private final long maxLagNanos;
    /** Whether what the memory held at start has all been filed. */
    private volatile boolean backfilled;

    /** Files what {@code memory} adds from now on, and what it holds, on {@code worker}. */
    FiledPrompts(TeacherMemory memory, PairedEncoder encoder, PacedWorker worker) {
        this(memory, encoder, worker, MAX_LAG);
    }

    /** @param maxLag how long a filing may wait before its scope counts as behind (tests give their own) */
    FiledPrompts(TeacherMemory memory, PairedEncoder encoder, PacedWorker worker, Duration maxLag) {
        this.memory = memory;
        this.encoder = encoder;
        this.worker = worker;
        this.maxLagNanos = maxLag.toNanos();
        memory.onAdded(e -> {
            String scope = MeaningIndex.scope(e.tenant(), e.contextKey());
            Queue<Long> pending = unfiled.computeIfAbsent(scope, k -> new ConcurrentLinkedQueue<>());
            Long queued = System.nanoTime();
            pending.add(queued);
            boolean accepted = worker.submit(() -> {
                try {
                    file(e);
                } finally {
                    pending.poll();
                }
            });
            if (!accepted) {
                // Marked once for the scope, not kept per filing: under a flood most filings are dropped, and a
                // note kept for each was 48 bytes of heap per exchange learned, for as long as the process ran.
                behind.add(scope);
                pending.remove(queued);
            }
        });
        worker.submitSurely(this::backfill);
    }

    /**
     * Whether a tenant's context is filed as far as the memory holds it, but for the last moment's additions: a
     * search must find every stored question near a request before a rewording is served (the ambiguity check must
     * see a nearer near-miss). Behind the memory — at start until the rebuild is done, while a filing has waited
     * longer than {@link #MAX_LAG} (the observer trails a stream that never pauses), or for good once one was
     * dropped — a scope serves none. A filing queued a moment ago is the same gap as an answer the learner has not
     * stored yet: what the teacher has just said is not in the memory for any route.
     */
    boolean current(String tenant, String contextKey) {
        String scope = MeaningIndex.scope(tenant, contextKey);
        Queue<Long> pending = unfiled.get(scope);
        Long oldest = pending == null ? null : pending.peek();
        return backfilled && !behind.contains(scope) && (oldest == null || System.nanoTime() - oldest < maxLagNanos);
    }

    /** The filed prompts of a tenant's context nearest {@code prompt}, nearest first. */
    List<MeaningIndex.Neighbour> nearest(String tenant, String contextKey, String prompt, int n) {
        return index.nearest(MeaningIndex.scope(tenant, contextKey), embed(prompt), n);
    }

    /**
     * Whether any filed prompt of a tenant's context may score {@code score} or more with the request, judged by
     * half a scan: by the pair's first encoder alone, given the request's vector by it ({@link
     * PairedEncoder#mayReach}).
     */
    boolean mayReach(String tenant, String contextKey, float[] firstVector, double score) {
        double dot = index.bestPrefix(MeaningIndex.scope(tenant, contextKey), firstVector);
        return dot >= 0 && PairedEncoder.mayReach(dot, score);
    }

    /** A filed exchange the memory no longer holds. */
    void remove(String exchangeId) {
        index.remove(exchangeId);
        indexed = index.size();
    }

    int size() {
        return indexed;
    }

    /** The bytes the filed vectors take, outside the heap. */
    long bytes() {
        return index.bytes();
    }

    /** Filings queued and not done, over every scope. */
    int waiting() {
        return unfiled.values().stream().mapToInt(Queue::size).sum();
    }

    /** The prompt's vector, remembered for the next thousand or so asked. */
    float[] embed(String prompt) {
        return embed(prompt, null);
    }

    /**
     * The same, given the prompt's vector by the pair's first encoder when the caller has it (the request's, on its
     * path): only the second encoder's is then computed, and neither when the prompt was embedded lately.
     */
    float[] embed(String prompt, float[] firstVector) {
        // Not computed inside the cache: an embedding takes milliseconds, and a cache computing a key holds others
        // that hash near it. Two threads embedding one prompt at once both pay; both get the same vector.
        float[] known = vectors.getIfPresent(prompt);
        if (known == null) {
            known = firstVector == null ? encoder.embed(prompt) : encoder.embed(prompt, firstVector);
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
        if (tenants.isEmpty()) {
            backfilled = true;
        } else {
            backfill(tenants, 0, 0);
        }
    }

    private void backfill(List<String> tenants, int tenant, int offset) {
        List<Exchange> page = memory.list(tenants.get(tenant), offset, BACKFILL_PAGE);
        page.forEach(this::file);
        if (page.size() == BACKFILL_PAGE) {
            // Surely: a page dropped from a full queue would leave the index unfinished, and every scope without
            // rewordings, until the next start.
            worker.submitSurely(() -> backfill(tenants, tenant, offset + BACKFILL_PAGE));
        } else if (tenant + 1 < tenants.size()) {
            worker.submitSurely(() -> backfill(tenants, tenant + 1, 0));
        } else {
            backfilled = true;
        }
    }
}
