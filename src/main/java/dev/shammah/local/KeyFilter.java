package dev.shammah.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;

/**
 * Which keys the memory might hold: Bloom filters (at most 1% false positives together) over every key of every
 * field looked up by key. Nearly every request's keys are not in the memory — a fresh prompt has no stored equal —
 * and this makes that answer cost a few hashes instead of a term-dictionary probe in every index segment. A key it
 * says "maybe" to is then looked up for real, so a false positive costs a lookup and never a wrong answer.
 *
 * <p>Keys are only ever added (a deleted exchange's keys stay until the next rebuild: harmless "maybe"s). When the
 * newest filter holds what it was sized for, another twice as large is started beside it, at half the false
 * positives, so the rate over all of them stays under {@value #FALSE_POSITIVES} (a scalable Bloom filter, Almeida et
 * al. 2007). Growing used to mean a rebuild from the index's terms — under a flood of new prompts a quarter of the
 * learner's time went to re-reading every key it had stored. Rebuilt from the index only at start and after a
 * re-key.
 */
final class KeyFilter {
    private static final int MIN_CAPACITY = 100_000;
    private static final double FALSE_POSITIVES = 0.01;

    private final List<String> fields;
    /** Oldest first; only the last takes new keys. Replaced whole, never changed in place but by its last. */
    private volatile List<BloomStage> stages;
    private long capacity;
    private long added;
    private double rate;

    KeyFilter(List<String> fields, IndexReader reader) {
        this.fields = List.copyOf(fields);
        rebuild(reader);
    }

    boolean mightContain(String key) {
        List<BloomStage> s = stages;
        BloomStage.Hash h = BloomStage.Hash.of(key); // once, for every stage
        for (int i = s.size() - 1; i >= 0; i--) {
            if (s.get(i).mightContain(h)) {
                return true;
            }
        }
        return false;
    }

    /** The bytes all its filters take, outside the heap ({@link BloomStage}). */
    long bytes() {
        return stages.stream().mapToLong(BloomStage::bytes).sum();
    }

    /** How many filters there are now: one after a rebuild, one more for each time the newest filled up. */
    int stages() {
        return stages.size();
    }

    /** Adds keys (never waits on the index); when the newest filter is full, the next goes to a larger one. */
    synchronized void add(Iterable<String> keys) {
        List<BloomStage> s = stages;
        BloomStage b = s.get(s.size() - 1);
        for (String k : keys) {
            b.put(BloomStage.Hash.of(k));
            added++;
        }
        if (added > capacity) {
            capacity *= 2;
            rate /= 2;
            added = 0;
            List<BloomStage> next = new ArrayList<>(s);
            next.add(new BloomStage(capacity, rate));
            stages = List.copyOf(next);
        }
    }

    /** One filter sized for twice what {@code reader} holds, filled from the index's terms. */
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
            // Half the budget for the first filter: the ones added later take a half of what is left each.
            double first = FALSE_POSITIVES / 2;
            BloomStage next = new BloomStage(size, first);
            long count = 0;
            for (LeafReaderContext leaf : reader.leaves()) {
                for (String field : fields) {
                    Terms t = leaf.reader().terms(field);
                    if (t == null) {
                        continue;
                    }
                    TermsEnum te = t.iterator();
                    for (BytesRef term = te.next(); term != null; term = te.next()) {
                        next.put(BloomStage.Hash.of(term.utf8ToString()));
                        count++;
                    }
                }
            }
            capacity = size;
            added = count;
            rate = first;
            stages = List.of(next);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the teacher memory's keys", e);
        }
    }
}
