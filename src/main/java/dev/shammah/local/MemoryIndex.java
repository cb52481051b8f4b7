package dev.shammah.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.FSDirectory;

/**
 * The Lucene index under the teacher memory, and when what is written to it becomes visible and durable: visible
 * on demand ({@link #refresh}, only after something changed), durable within {@code commitInterval} (a timer
 * commits, atomically and fsynced, by Lucene), deletions both at once. Commits and the final close take turns.
 */
final class MemoryIndex implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MemoryIndex.class.getName());

    interface Search<T> {
        T run(IndexSearcher searcher) throws IOException;
    }

    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final ScheduledExecutorService timer;
    /** Commits and the final close, one at a time (Lucene refuses to close during a commit). */
    private final Object commitLock = new Object();
    private volatile boolean unrefreshed;
    /**
     * Keys of what was written since the reader was last opened, each with the number of the write: a lookup of any
     * other key finds all there is in the reader already open, so only these need a refresh first. Without this
     * every lookup the key filter let through (its false positives among them) re-opened the index under a flood
     * of new prompts — a flush each time, and the merges of the tiny segments that leaves.
     */
    private final ConcurrentHashMap<String, Long> pendingKeys = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();
    /** The last write whose keys {@link #refresh} let go of (guarded by this object's monitor). */
    private long prunedUpTo;

    MemoryIndex(Path dir, Duration commitInterval) throws IOException {
        IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer());
        config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        // Lookups return the newest exchanges by document id, which holds only while merges join adjacent
        // segments (the default tiered policy may merge any, and reorders documents when it does).
        config.setMergePolicy(new LogByteSizeMergePolicy());
        this.writer = new IndexWriter(new PrivateDirectory(FSDirectory.open(dir)), config);
        this.searchers = new SearcherManager(writer, null);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shammah-memory-commit");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, commitInterval.toMillis());
        timer.scheduleWithFixedDelay(this::commitQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    IndexWriter writer() {
        return writer;
    }

    /**
     * Something under these keys was written (after it is in the writer): a lookup of one of them refreshes first.
     * The order matters: a refresh that has seen this write's number has seen the write.
     */
    void changed(Collection<String> keys) {
        unrefreshed = true;
        long write = writes.incrementAndGet();
        for (String k : keys) {
            pendingKeys.put(k, write);
        }
    }

    /** Whether something written under one of these keys may not be in the reader open now. */
    boolean pending(Collection<String> keys) {
        if (pendingKeys.isEmpty()) {
            return false;
        }
        for (String k : keys) {
            if (pendingKeys.containsKey(k)) {
                return true;
            }
        }
        return false;
    }

    /** Whether something was written since the reader was last opened. */
    boolean unrefreshed() {
        return unrefreshed;
    }

    /**
     * Makes everything written so far visible now (nothing to do when nothing was written since). One refresh at a
     * time: a caller that finds another's in progress waits for it rather than returning early.
     */
    synchronized void refresh() {
        long upTo = writes.get();
        if (unrefreshed) {
            try {
                unrefreshed = false;
                searchers.maybeRefreshBlocking();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot refresh the teacher memory", e);
            }
        }
        // Every write numbered up to here is in the reader now; a key written again since keeps its newer number
        // (removeIf on a concurrent map's entries removes an entry only while it still holds the value tested).
        if (upTo > prunedUpTo && !pendingKeys.isEmpty()) {
            pendingKeys.entrySet().removeIf(e -> e.getValue() <= upTo);
            prunedUpTo = upTo;
        }
    }

    /** Makes everything written so far durable now. */
    void commit() {
        synchronized (commitLock) {
            try {
                if (writer.isOpen() && writer.hasUncommittedChanges()) {
                    writer.commit();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot commit the teacher memory", e);
            }
        }
    }

    private void commitQuietly() {
        try {
            commit();
            // Lookups that accept a view up to one interval old (bySpans) see what was learned by now.
            refresh();
        } catch (RuntimeException | AssertionError e) {
            // The next interval tries again; what was committed before is intact.
            LOG.warning("Teacher memory commit failed: " + e.getMessage());
        }
    }

    /** Deletes what {@code query} matches, durable and visible before it returns (forgetting is asked for). */
    void deleteNow(Query query) throws IOException {
        writer.deleteDocuments(query);
        commit();
        searchers.maybeRefreshBlocking();
    }

    /** Commits and re-opens the reader now (after a rewrite of the whole index). */
    void commitAndRefresh() throws IOException {
        writer.commit();
        searchers.maybeRefreshBlocking();
    }

    <T> T withSearcher(Search<T> search) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return search.run(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Teacher memory search failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdown();
        try {
            // A commit or refresh the timer started finishes before the index is closed under it.
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (commitLock) {
            try {
                if (writer.isOpen() && writer.hasUncommittedChanges()) {
                    writer.commit();
                }
                searchers.close();
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
