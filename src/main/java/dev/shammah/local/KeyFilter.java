package dev.shammah.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;

/**
 * Which keys the memory might hold: a Bloom filter (1% false positives) over every key of every field looked up
 * by key. Nearly every request's keys are not in the memory — a fresh prompt has no stored equal — and this makes
 * that answer cost a few hashes instead of a term-dictionary probe in every index segment. A key it says "maybe"
 * to is then looked up for real, so a false positive costs a lookup and never a wrong answer.
 *
 * <p>Keys are only ever added (a deleted exchange's keys stay until the next rebuild: harmless "maybe"s). When
 * more keys were added than it was sized for, it is rebuilt twice as large from the index's terms.
 */
final class KeyFilter {
    private static final int MIN_CAPACITY = 100_000;
    private static final double FALSE_POSITIVES = 0.01;

    private final List<String> fields;
    private volatile BloomFilter<CharSequence> bloom;
    private long capacity;
    private long added;

    KeyFilter(List<String> fields, IndexReader reader) {
        this.fields = List.copyOf(fields);
        rebuild(reader);
    }

    boolean mightContain(String key) {
        return bloom.mightContain(key);
    }

    /**
     * Adds keys; returns false when the filter is full and must be {@linkplain #rebuild rebuilt} (the keys were
     * still added, so nothing is missed in between).
     */
    synchronized boolean add(Iterable<String> keys) {
        BloomFilter<CharSequence> b = bloom;
        for (String k : keys) {
            b.put(k);
            added++;
        }
        return added <= capacity;
    }

    /** Sizes the filter for twice what {@code reader} holds and fills it from the index's terms. */
    synchronized void rebuild(IndexReader reader) {
        try {
            long terms = 0;
            for (LeafReaderContext leaf : reader.leaves()) {
                for (String field : fields) {
                    Terms t = leaf.reader().terms(field);
                    terms += t == null ? 0 : Math.max(0, t.size());
                }
            }
            long size = Math.max(MIN_CAPACITY, 2 * terms);
            BloomFilter<CharSequence> next = BloomFilter.create(Funnels.stringFunnel(StandardCharsets.UTF_8), size,
                    FALSE_POSITIVES);
            long count = 0;
            for (LeafReaderContext leaf : reader.leaves()) {
                for (String field : fields) {
                    Terms t = leaf.reader().terms(field);
                    if (t == null) {
                        continue;
                    }
                    TermsEnum te = t.iterator();
                    for (BytesRef term = te.next(); term != null; term = te.next()) {
                        next.put(term.utf8ToString());
                        count++;
                    }
                }
            }
            capacity = size;
            added = count;
            bloom = next;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot read the teacher memory's keys", e);
        }
    }
}
