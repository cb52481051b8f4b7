package dev.shammah.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;

import dev.shammah.persist.AtomicFiles;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;

/**
 * The memory folder's layout version ({@code memory/FORMAT}) and the re-keying that brings an older index up to
 * it. No file: before tenants (set aside by {@link MemoryDocuments#setAsideOldFormat}). "2": keys without spans,
 * and an embedding per exchange (re-keyed at start). "3": now.
 */
final class MemoryFormat {
    private static final Logger LOG = Logger.getLogger(MemoryFormat.class.getName());
    static final String FORMAT = "3";

    private MemoryFormat() {
    }

    /** Whether the folder holds an index written with other keys: it must be re-keyed before it serves. */
    static boolean needsKeys(Path dir) throws IOException {
        Path format = dir.resolve("FORMAT");
        return Files.isRegularFile(format) && !Files.readString(format).trim().equals(FORMAT);
    }

    static void markCurrent(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve("FORMAT"), FORMAT);
    }

    /**
     * Rewrites every exchange under the keys {@code keys} gives it (and without the embedding earlier versions
     * kept), or removes it where {@code keys} gives null; commits, rebuilds the key filter, and marks the index
     * current. A crash in between leaves the old index, re-keyed again at the next start.
     */
    static void rekey(Path dir, MemoryIndex index, KeyFilter filter, Function<Exchange, TeacherMemory.Keys> keys)
            throws IOException {
        IndexWriter writer = index.writer();
        int n = 0;
        int removed = 0;
        List<Exchange> all = index.withSearcher(MemoryReads::all);
        for (Exchange e : all) {
            TeacherMemory.Keys k = keys.apply(e);
            if (k == null) {
                writer.deleteDocuments(new Term(MemoryDocuments.ID, e.id()));
                removed++;
            } else {
                writer.updateDocument(new Term(MemoryDocuments.ID, e.id()), MemoryDocuments.document(e, k));
                n++;
            }
        }
        if (removed > 0) {
            LOG.info("Removed " + removed + " exchanges about safety topics from the teacher memory");
        }
        index.commitAndRefresh();
        index.withSearcher(searcher -> {
            filter.rebuild(searcher.getIndexReader());
            return null;
        });
        markCurrent(dir);
        LOG.info("Re-keyed " + n + " exchanges of the teacher memory for lookup by span");
    }
}
