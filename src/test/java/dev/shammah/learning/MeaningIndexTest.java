package dev.shammah.learning;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

class MeaningIndexTest {
    private static float[] unit(double... xs) {
        double n = 0;
        for (double x : xs) {
            n += x * x;
        }
        float[] v = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            v[i] = (float) (xs[i] / Math.sqrt(n));
        }
        return v;
    }

    private static List<String> ids(List<MeaningIndex.Neighbour> near) {
        return near.stream().map(MeaningIndex.Neighbour::exchangeId).toList();
    }

    @Test
    void nearestFirstWithinOneScopeOnly() {
        MeaningIndex index = new MeaningIndex();
        String alice = MeaningIndex.scope("alice", "ctx");
        String bob = MeaningIndex.scope("bob", "ctx");
        String aliceElsewhere = MeaningIndex.scope("alice", "other-context");
        index.add(alice, "a1", unit(1, 0, 0));
        index.add(alice, "a2", unit(1, 1, 0));
        index.add(alice, "a3", unit(0, 0, 1));
        index.add(bob, "b1", unit(1, 0.01, 0));
        index.add(aliceElsewhere, "c1", unit(1, 0, 0));

        List<MeaningIndex.Neighbour> near = index.nearest(alice, unit(1, 0.01, 0), 2);
        assertThat("bob's identical prompt is never alice's candidate", ids(near), is(List.of("a1", "a2")));
        assertThat(near.get(0).cosine(), closeTo(1.0, 1e-3));
        assertThat(ids(index.nearest(bob, unit(1, 0, 0), 5)), is(List.of("b1")));
        assertThat(index.nearest(MeaningIndex.scope("carol", "ctx"), unit(1, 0, 0), 5), empty());
        assertThat(index.size(), is(5));
    }

    @Test
    void removedAndRefiledPromptsAreFoundWhereTheyAreNow() {
        MeaningIndex index = new MeaningIndex();
        String s = MeaningIndex.scope("t", "ctx");
        for (int i = 0; i < 40; i++) {
            index.add(s, "e" + i, unit(1, i, 0));
        }
        index.remove("e0");
        index.add(s, "e1", unit(0, 0, 1)); // filed again, elsewhere
        assertThat(index.size(), is(39));
        assertThat(ids(index.nearest(s, unit(0, 0, 1), 1)), is(List.of("e1")));
        assertThat(ids(index.nearest(s, unit(1, 0, 0), 1)), is(List.of("e2")));
    }

    @Test
    void theFourSumDotProductIsTheDotProduct() {
        java.util.Random random = new java.util.Random(7);
        for (int n : new int[] {1, 3, 4, 7, 384, 768, 769}) {
            double[] xs = random.doubles(n, -1, 1).toArray();
            double[] ys = random.doubles(n, -1, 1).toArray();
            float[] a = unit(xs);
            float[] b = unit(ys);
            double exact = 0;
            for (int i = 0; i < n; i++) {
                exact += (double) a[i] * b[i];
            }
            assertThat("n = " + n, dev.shammah.local.Encoder.dot(a, b, n), closeTo(exact, 1e-5));
        }
    }

    /** Past one page, with removals that empty pages and refile: what a scan finds is what a scan of arrays finds. */
    @Test
    void manyPagesOfVectorsSearchAsArraysWouldAndTheirBytesAreCounted() {
        java.util.Random random = new java.util.Random(3);
        MeaningIndex index = new MeaningIndex();
        String s = MeaningIndex.scope("t", "ctx");
        index.add(s, "first", unit(1, 0, 0, 0));
        assertThat("one prompt takes one vector's bytes", index.bytes(), is(4L * Float.BYTES));
        java.util.Map<String, float[]> kept = new java.util.LinkedHashMap<>();
        kept.put("first", unit(1, 0, 0, 0));
        int n = 2 * MeaningIndex.PAGE + 300;
        for (int i = 0; i < n; i++) {
            float[] v = unit(random.doubles(4, -1, 1).toArray());
            index.add(s, "e" + i, v);
            kept.put("e" + i, v);
        }
        for (int i = 0; i < n; i += 3) { // a third removed, from every page: the last ones move into the gaps
            index.remove("e" + i);
            kept.remove("e" + i);
        }
        for (int i = 1; i < 200; i += 3) { // some filed again, elsewhere
            float[] v = unit(random.doubles(4, -1, 1).toArray());
            index.add(s, "e" + i, v);
            kept.put("e" + i, v);
        }
        assertThat(index.size(), is(kept.size()));
        for (int q = 0; q < 50; q++) {
            float[] query = unit(random.doubles(4, -1, 1).toArray());
            List<String> expected = kept.entrySet().stream()
                    .sorted((x, y) -> Double.compare(dev.shammah.local.Encoder.cosine(query, y.getValue()),
                            dev.shammah.local.Encoder.cosine(query, x.getValue())))
                    .limit(3).map(java.util.Map.Entry::getKey).toList();
            List<MeaningIndex.Neighbour> near = index.nearest(s, query, 3);
            assertThat(ids(near), is(expected));
            assertThat("the score read outside the heap is the array's, to the bit", near.get(0).cosine(),
                    is(dev.shammah.local.Encoder.cosine(query, kept.get(expected.get(0)))));
        }
        int pages = (kept.size() + MeaningIndex.PAGE - 1) / MeaningIndex.PAGE;
        assertThat("whole pages, the emptied ones let go", index.bytes(),
                is((long) pages * MeaningIndex.PAGE * 4 * Float.BYTES));
        for (String id : List.copyOf(kept.keySet())) {
            index.remove(id);
        }
        assertThat("an emptied scope takes nothing", index.bytes(), is(0L));
    }

    @Test
    void theBestPrefixDotProductReadsTheLeadingEntriesOfTheScopesVectorsOnly() {
        MeaningIndex index = new MeaningIndex();
        String s = MeaningIndex.scope("t", "c");
        assertThat("nothing filed", index.bestPrefix(s, new float[] {1, 0}), is(-1.0));
        index.add(s, "e1", new float[] {0.6f, 0.0f, 0.8f, 0.0f});
        index.add(s, "e2", new float[] {0.0f, 0.6f, 0.0f, 0.8f});
        index.add(MeaningIndex.scope("t", "other"), "e3", new float[] {1, 0, 0, 0});
        assertThat(index.bestPrefix(s, new float[] {1, 0}), closeTo(0.6, 1e-6));
        assertThat(index.bestPrefix(s, new float[] {0.6f, 0.8f}), closeTo(0.48, 1e-6));
    }
}
