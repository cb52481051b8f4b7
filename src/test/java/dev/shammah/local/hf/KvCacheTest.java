package dev.shammah.local.hf;

import java.nio.file.Path;
import java.util.SplittableRandom;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.shammah.testsupport.TinyHfModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

/**
 * The cache written in place and grown by doubling gives what recomputing the whole sequence gives: position by
 * position, past the first buffer's 64 positions and two doublings, for both layouts (Qwen2's grouped-query heads).
 */
class KvCacheTest {
    @TempDir
    Path dir;

    @Test
    void decodingOnePositionAtATimeMatchesTheWholeSequenceAtOnce() {
        for (TinyHfModel.Layout layout : TinyHfModel.Layout.values()) {
            TinyHfModel.write(dir.resolve(layout.name()), layout);
            try (HfGenerator g = new HfGenerator(dir.resolve(layout.name()), Device.cpu(), 64)) {
                SplittableRandom random = new SplittableRandom(3);
                long[] ids = new long[200];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = 3 + random.nextInt(g.config().vocabSize() - 3);
                }
                try (NDManager m = g.manager().newSubManager(); KvCache cache = g.decoder().newCache(m)) {
                    NDArray whole = g.decoder().logits(ids, null, m);
                    int prompt = 5;
                    long[] first = java.util.Arrays.copyOf(ids, prompt);
                    float[] step = g.decoder().forward(first, cache);
                    for (int p = prompt; ; p++) {
                        float[] expected = whole.get(new NDIndex("{}", p - 1)).toFloatArray();
                        for (int i = 0; i < expected.length; i++) {
                            assertThat(layout + " position " + (p - 1) + " logit " + i, (double) step[i],
                                    closeTo(expected[i], 1e-4));
                        }
                        if (p == ids.length) {
                            break;
                        }
                        step = g.decoder().forward(new long[] {ids[p]}, cache);
                    }
                    assertThat(cache.length(), is(ids.length));
                }
            }
        }
    }

    /** A decoded token leaves nothing behind but its positions in the cache: no array per step is kept. */
    @Test
    void aStepLeavesNoArraysBehind() {
        TinyHfModel.write(dir.resolve("q"), TinyHfModel.Layout.QWEN2);
        try (HfGenerator g = new HfGenerator(dir.resolve("q"), Device.cpu(), 64);
             NDManager m = g.manager().newSubManager(); KvCache cache = g.decoder().newCache(m)) {
            g.decoder().forward(new long[] {3, 4, 5, 6, 7}, cache);
            for (int i = 0; i < 10; i++) {
                g.decoder().forward(new long[] {8 + i}, cache);
            }
            int afterTen = g.manager().getManagedArrays().size();
            for (int i = 0; i < 150; i++) { // two doublings of the buffers on the way
                g.decoder().forward(new long[] {8 + i % 20}, cache);
            }
            assertThat(g.manager().getManagedArrays().size(), is(afterTen));
        }
    }
}
