package dev.shammah.local;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.lucene.index.StoredFields;

/**
 * The teacher memory's exact-key lookups: which keys the {@link KeyFilter} cannot rule out, read off the index's
 * postings newest first, and the lookups of one key remembered while the memory's generation stands (a repeated
 * request — what local answers mostly are — is found without a postings walk and a stored-fields read). Fresh means
 * what was written under the key since the reader was opened is seen: only such a key re-opens it
 * ({@link MemoryIndex#pending}).
 */
final class KeyLookups {
    /** Lookups remembered at most. */
    private static final int REMEMBERED = 10_000;

    private final MemoryIndex index;
    private final KeyFilter filter;
    /** The memory's: bumped after every change the index shows, so a remembered lookup is good while it stands. */
    private final AtomicLong generation;
    private final Cache<String, Remembered> remembered = Caffeine.newBuilder().executor(Runnable::run).maximumSize(REMEMBERED).build();

    private record Remembered(long generation, List<Exchange> exchanges) {
    }

    KeyLookups(MemoryIndex index, KeyFilter filter, AtomicLong generation) {
        this.index = index;
        this.filter = filter;
        this.generation = generation;
    }

    /**
     * Exact-term lookup: keys the {@link KeyFilter} rules out cost a few hashes (almost every request's keys are
     * not there); the rest are read straight off each segment's postings, with no scoring and no collector.
     */
    List<Exchange> find(String field, Collection<String> wanted, boolean fresh, int limit) {
        List<String> keys = mightHave(wanted);
        if (keys.isEmpty()) {
            return List.of();
        }
        if (!fresh || keys.size() != 1) {
            return search(field, keys, fresh, limit);
        }
        // Read before the search: a change during it bumps the generation, and what it found is not remembered
        // as current.
        long now = generation.get();
        String key = field + '\u0000' + keys.get(0) + '\u0000' + limit;
        Remembered r = remembered.getIfPresent(key);
        if (r != null && r.generation() == now) {
            return r.exchanges();
        }
        List<Exchange> found = List.copyOf(search(field, keys, true, limit));
        remembered.put(key, new Remembered(now, found));
        return found;
    }

    /** The keys the filter does not rule out; one key, what almost every lookup asks, without a stream. */
    private List<String> mightHave(Collection<String> wanted) {
        if (wanted.size() == 1) {
            String key = wanted.iterator().next();
            return filter.mightContain(key) ? List.of(key) : List.of();
        }
        return wanted.stream().filter(filter::mightContain).toList();
    }

    /** The newest {@code limit} exchanges under any of {@code keys}, the filter not asked; {@code fresh} as above. */
    List<Exchange> search(String field, List<String> keys, boolean fresh, int limit) {
        // A key written since the reader was opened: what was written may be one of those it should find.
        if (fresh && index.pending(keys)) {
            index.refresh();
        }
        return index.withSearcher(searcher -> {
            int[] newest = NewestPostings.find(searcher.getIndexReader(), field, keys, limit);
            StoredFields stored = searcher.storedFields();
            List<Exchange> out = new ArrayList<>(newest.length);
            for (int d : newest) {
                out.add(MemoryDocuments.read(stored.document(d)));
            }
            return out;
        });
    }
}
