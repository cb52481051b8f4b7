package dev.shammah.local.hf;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/** Sampling as the Messages API's parameters ask: order, top_k, top_p, greedy. */
class SamplerTest {
    private static final float[] LOGITS = {1.0f, 3.0f, -2.0f, 3.0f, 0.5f, -0.0f, 0.0f};

    @Test
    void ordersByLogitHighestFirstLowestIdOnATieAsFloatCompareDoes() {
        int[] order = Sampler.descending(LOGITS);
        assertThat(java.util.Arrays.stream(order).boxed().toList(), contains(1, 3, 0, 4, 6, 5, 2));
    }

    @Test
    void greedyTopKAndTopPKeepOnlyWhatTheyAllow() {
        assertThat(new Sampler(0, 0, 1, 1).next(LOGITS), is(1));
        Set<Integer> topK = new HashSet<>();
        Set<Integer> topP = new HashSet<>();
        Set<Integer> plain = new HashSet<>();
        Sampler k = new Sampler(5.0, 2, 1, 7);
        Sampler p = new Sampler(1.0, 0, 0.5, 7);
        Sampler all = new Sampler(50.0, 0, 1, 7);
        for (int i = 0; i < 2000; i++) {
            topK.add(k.next(LOGITS));
            topP.add(p.next(LOGITS));
            plain.add(all.next(LOGITS));
        }
        assertThat("top_k 2 keeps the two best", topK, is(Set.of(1, 3)));
        // Softmax at 1: ids 1 and 3 hold ~0.43 each; the first alone does not reach 0.5, the two together do.
        assertThat("top_p 0.5 keeps the smallest set reaching it", topP, is(Set.of(1, 3)));
        assertThat("a high temperature and no cut reach every token", plain.size(), is(LOGITS.length));
    }
}
