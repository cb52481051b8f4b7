package dev.shammah.local;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * The newest live documents holding any of some exact terms, read straight off the postings (no scoring, no
 * collector). Documents are numbered in the order they were added, so the newest are the highest ids; segments
 * are walked newest first and the walk stops once the segments left can only hold older ones. A key every
 * exchange shares (a template's common tail) therefore costs the newest segments' postings, not a pass over the
 * whole memory with every id boxed and sorted — which was most of learning's cost in templated traffic. Within a
 * segment only a window at the end of a key's postings is read.
 */
final class NewestPostings {
    private NewestPostings() {
    }

    /** Up to {@code limit} distinct document ids (global), newest first. */
    static int[] find(IndexReader reader, String field, Collection<String> keys, int limit) throws IOException {
        List<BytesRef> terms = keys.stream().map(BytesRef::new).toList();
        // A min-heap of the newest ids seen so far; heap[0] is the oldest of them.
        int[] heap = new int[limit];
        int size = 0;
        List<LeafReaderContext> leaves = reader.leaves();
        for (int l = leaves.size() - 1; l >= 0; l--) {
            LeafReaderContext leaf = leaves.get(l);
            if (size == limit && leaf.docBase + leaf.reader().maxDoc() <= heap[0]) {
                break; // every document left is older than all those kept
            }
            Terms fieldTerms = leaf.reader().terms(field);
            if (fieldTerms == null) {
                continue;
            }
            TermsEnum te = fieldTerms.iterator();
            Bits live = leaf.reader().getLiveDocs();
            int maxDoc = leaf.reader().maxDoc();
            for (BytesRef term : terms) {
                if (!te.seekExact(term)) {
                    continue;
                }
                // The newest matches are at the end of the postings, which only run forwards: skip (the postings'
                // skip lists make that logarithmic) to a window near the end, widening it until it holds enough.
                for (int window = Math.max(64, 4 * limit); ; window *= 4) {
                    int from = Math.max(0, maxDoc - window);
                    int found = 0;
                    PostingsEnum postings = te.postings(null, PostingsEnum.NONE);
                    for (int d = postings.advance(from); d != DocIdSetIterator.NO_MORE_DOCS; d = postings.nextDoc()) {
                        if (live != null && !live.get(d)) {
                            continue;
                        }
                        found++;
                        int id = leaf.docBase + d;
                        if (contains(heap, size, id)) {
                            continue; // found under two keys: counts once
                        }
                        if (size < limit) {
                            heap[size++] = id;
                            siftUp(heap, size - 1);
                        } else if (id > heap[0]) {
                            heap[0] = id;
                            siftDown(heap, size);
                        }
                    }
                    if (found >= limit || from == 0) {
                        break;
                    }
                }
            }
        }
        int[] out = Arrays.copyOf(heap, size);
        Arrays.sort(out);
        for (int i = 0, j = out.length - 1; i < j; i++, j--) {
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }

    private static boolean contains(int[] heap, int size, int id) {
        for (int i = 0; i < size; i++) {
            if (heap[i] == id) {
                return true;
            }
        }
        return false;
    }

    private static void siftUp(int[] heap, int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (heap[parent] <= heap[i]) {
                return;
            }
            swap(heap, parent, i);
            i = parent;
        }
    }

    private static void siftDown(int[] heap, int size) {
        int i = 0;
        while (true) {
            int smallest = i;
            int left = 2 * i + 1;
            int right = left + 1;
            if (left < size && heap[left] < heap[smallest]) {
                smallest = left;
            }
            if (right < size && heap[right] < heap[smallest]) {
                smallest = right;
            }
            if (smallest == i) {
                return;
            }
            swap(heap, i, smallest);
            i = smallest;
        }
    }

    private static void swap(int[] heap, int a, int b) {
        int t = heap[a];
        heap[a] = heap[b];
        heap[b] = t;
    }
}
