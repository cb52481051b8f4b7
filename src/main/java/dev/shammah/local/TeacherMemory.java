package dev.shammah.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.shammah.persist.PrivateFiles;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Every teacher answer Shammah has kept, in a Lucene index under {@code data-dir/memory}. Each exchange is
 * indexed under exact keys the router computes — its <em>shape</em> (tenant, context and canonical prompt), its
 * <em>core</em> (the same without courtesy wrappers), its <em>spans</em> (the core with up to a wrapper's length
 * of words cut from one end) and its <em>scope</em> (tenant and context) — so both the router and the learner
 * find equivalents by lookup, never by search or embedding.
 *
 * <p>Visibility is on demand and durability is grouped. An added exchange is found by the very next lookup of
 * one of its keys: the {@link KeyFilter} knows its keys at once, and a lookup that passes the filter while
 * exchanges wait to be seen refreshes the reader first — so the index is only re-opened when a request could
 * find something new, not after every answer learned. It is committed — atomically and fsynced, by Lucene — at
 * most {@code commitInterval} later.
 * A {@code kill -9} therefore loses at most the exchanges added in the last {@code commitInterval}, never a
 * request and never the index: what was committed before loads. Deletions are committed before they return.
 */
public final class TeacherMemory implements AutoCloseable {
    private volatile Consumer<Exchange> onAdded = e -> { };
    /** Most exchanges one lookup returns. */
    private static final int MAX_HITS = 32;
    /** Most exchanges a span lookup returns: the learner aligns each with the request, newest first. */
    private static final int SPAN_HITS = 8;

    private final Path dir;
    private final MemoryIndex index;
    private final IndexWriter writer;
    private final KeyFilter filter;
    private final boolean needsKeys;
    /**
     * Bumped after every change the index shows (an exchange added or replaced, a delete, a re-key): a remembered
     * lookup is good only while the generation it was made in is current.
     */
    private final AtomicLong generation = new AtomicLong();
    /** Exact-key lookups, remembered while the generation stands. */
    private final KeyLookups lookups;

    /**
     * The exact keys an exchange is found by.
     *
     * @param scope tenant and context
     * @param shape tenant, context and canonical prompt
     * @param core  tenant, context and the prompt without courtesy wrappers
     * @param spans keys of the core's runs a wrapped request could share with it (the core itself included)
     */
    public record Keys(String scope, String shape, String core, List<String> spans) {
        public Keys {
            spans = List.copyOf(spans);
        }
    }

    /** What a tenant has stored. */
    public record TenantSummary(String tenant, int exchanges, Instant first, Instant last) {
    }

    /** A memory committed every second. */
    public TeacherMemory(Path dir) {
        this(dir, Duration.ofSeconds(1));
    }

    public TeacherMemory(Path dir, Duration commitInterval) {
        this.dir = dir;
        try {
            MemoryDocuments.setAsideOldFormat(dir);
            PrivateFiles.createDirectories(dir);
            this.needsKeys = MemoryFormat.needsKeys(dir);
            this.index = new MemoryIndex(dir, commitInterval);
            this.writer = index.writer();
            if (!needsKeys) {
                MemoryFormat.markCurrent(dir);
            }
            PrivateFiles.restrict(dir.resolve("write.lock"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the teacher memory in " + dir, e);
        }
        this.filter = withSearcher(searcher -> new KeyFilter(List.of(MemoryDocuments.SHAPE, MemoryDocuments.CORE,
                MemoryDocuments.SPAN), searcher.getIndexReader()));
        this.lookups = new KeyLookups(index, filter, generation);
    }

    /**
     * Whether the index was written by a version whose keys differ: {@link #rekey} must run before it serves.
     */
    public boolean needsKeys() {
        return needsKeys;
    }

    /**
     * Rewrites every exchange under the keys {@code keys} gives it, or removes it where {@code keys} gives null,
     * and marks the index current ({@link MemoryFormat#rekey}).
     */
    public void rekey(Function<Exchange, Keys> keys) {
        try {
            MemoryFormat.rekey(dir, index, filter, keys);
            generation.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot re-key the teacher memory in " + dir, e);
        }
    }

    /**
     * Adds an exchange: visible to the next lookup of its keys, durable within the commit interval.
     */
    public void add(Exchange e, Keys keys) {
        index(e, keys, false);
    }

    /**
     * Adds an exchange, or replaces the one with its id: what a copy of a shared store applies, where the same
     * exchange may arrive twice (a retry, or this instance's own write read back).
     */
    public void put(Exchange e, Keys keys) {
        index(e, keys, true);
    }

    /**
     * Tells {@code listener} of every exchange added or replaced from now on, on the adding thread, after it is
     * in the index (what is filed by meaning follows the memory this way). One listener; it must be quick.
     */
    public void onAdded(Consumer<Exchange> listener) {
        this.onAdded = listener;
    }

    private void index(Exchange e, Keys keys, boolean replace) {
        try {
            if (replace) {
                writer.updateDocument(new Term(MemoryDocuments.ID, e.id()), MemoryDocuments.document(e, keys));
            } else {
                writer.addDocument(MemoryDocuments.document(e, keys));
            }
            List<String> all = new ArrayList<>(keys.spans());
            all.add(keys.shape());
            all.add(keys.core());
            index.changed(all);
            generation.incrementAndGet();
            onAdded.accept(e);
            filter.add(all);
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot store an exchange in the teacher memory", ex);
        }
    }

    /** Deletes every exchange (a copy of a shared store starting over); durable and visible before it returns. */
    public void clear() {
        delete(new MatchAllDocsQuery());
    }

    /** The index under the memory: its visibility is what this package's tests look at. */
    MemoryIndex index() {
        return index;
    }

    /** Makes everything added so far visible to lookups now (nothing to do when nothing was added since). */
    public void refresh() {
        index.refresh();
    }

    /** Makes everything added so far durable now. */
    public void commit() {
        index.commit();
    }

    /** Exchanges stored under this shape key, newest first. */
    public List<Exchange> byShape(String shape) {
        return lookups.find(MemoryDocuments.SHAPE, List.of(shape), true, MAX_HITS);
    }

    /** Exchanges stored under this core key, newest first. */
    public List<Exchange> byCore(String core) {
        return lookups.find(MemoryDocuments.CORE, List.of(core), true, MAX_HITS);
    }

    /**
     * Exchanges with any of these span keys, newest first, as of the last refresh — at most one commit interval
     * old. Only the learner asks (a wrapped form's evidence can wait a second), and it asks right after each
     * exchange it adds: a fresh view here reopened the index once per answer learned, which in templated traffic
     * (every prompt shares a span) was most of the cost of learning.
     */
    public List<Exchange> bySpans(Collection<String> spans) {
        return lookups.find(MemoryDocuments.SPAN, spans, false, SPAN_HITS);
    }

    /** A tenant's exchanges, oldest first, {@code limit} of them from {@code offset}. */
    public List<Exchange> list(String tenant, int offset, int limit) {
        refresh();
        return withSearcher(searcher -> MemoryReads.page(searcher, tenant, offset, limit));
    }

    public int count(String tenant) {
        refresh();
        return withSearcher(searcher -> searcher.count(new TermQuery(new Term(MemoryDocuments.TENANT, tenant))));
    }

    /** One exchange of a tenant by id, if it is there. */
    public Optional<Exchange> get(String tenant, String id) {
        // The reader already open first: an id asked for was nearly always stored a while ago, and a fresh view
        // for each one (the rewordings observer asks after every forward) reopened the index once per forward
        // under a flood — the flushes and the merges of the tiny segments they leave included.
        Optional<Exchange> seen = ofTenant(lookups.search(MemoryDocuments.ID, List.of(id), false, MAX_HITS), tenant);
        if (seen.isPresent()) {
            return seen;
        }
        // Not in the reader already open: written since, or a refresh in progress (whose flag is already down)
        // holds it. refresh() waits for one in progress and opens one only when something was written.
        refresh();
        return ofTenant(lookups.search(MemoryDocuments.ID, List.of(id), false, MAX_HITS), tenant);
    }

    private static Optional<Exchange> ofTenant(List<Exchange> found, String tenant) {
        return found.stream().filter(e -> e.tenant().equals(tenant)).findFirst();
    }

    /** Every tenant with stored exchanges, with counts and dates. */
    public List<TenantSummary> tenants() {
        refresh();
        return withSearcher(MemoryReads::tenants);
    }

    /** Deletes all of a tenant's exchanges; returns their ids. */
    public List<String> deleteTenant(String tenant) {
        List<String> ids = new ArrayList<>();
        list(tenant, 0, Integer.MAX_VALUE - 1).forEach(e -> ids.add(e.id()));
        delete(new TermQuery(new Term(MemoryDocuments.TENANT, tenant)));
        return ids;
    }

    /** Deletes one exchange of a tenant; false if the tenant has no exchange with that id. */
    public boolean delete(String tenant, String id) {
        if (get(tenant, id).isEmpty()) {
            return false;
        }
        delete(new BooleanQuery.Builder()
                .add(new TermQuery(new Term(MemoryDocuments.TENANT, tenant)), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(MemoryDocuments.ID, id)), BooleanClause.Occur.FILTER)
                .build());
        return true;
    }

    private void delete(Query query) {
        try {
            // Forgetting is what a person asked for: durable and visible before this returns. The generation moves
            // before the delete as well as after it: once the index shows the delete (another thread may look, as a
            // test waiting for it does), no lookup remembered before it may be answered from, and one made while
            // the delete ran (it may have read the old reader) is not remembered as current either.
            generation.incrementAndGet();
            index.deleteNow(query);
            generation.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete from the teacher memory", e);
        }
    }

    /** The bytes the key filters take, outside the heap. */
    public long keyFilterBytes() {
        return filter.bytes();
    }

    public int size() {
        refresh();
        return withSearcher(searcher -> searcher.getIndexReader().numDocs());
    }

    private <T> T withSearcher(MemoryIndex.Search<T> search) {
        return index.withSearcher(search);
    }

    @Override
    public void close() {
        index.close();
    }
}
