package dev.shammah.local.hf;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.shammah.testsupport.TinyHfModel;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

/**
 * The decoder against golden outputs from an independent numpy implementation (src/test/resources/hf/reference.py,
 * float64, full recomputation): the same tiny Llama and Qwen2 models, greedy decoding token for token, and the
 * first step's logits to 1e-4.
 */
class DecoderGoldenTest {
    @TempDir
    Path dir;

    static JsonObject golden() throws Exception {
        try (InputStream in = DecoderGoldenTest.class.getResourceAsStream("/hf/golden.json")) {
            return Json.createReader(in).readObject();
        }
    }

    private static long[] longs(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.getJsonNumber(i).longValue();
        }
        return out;
    }

    private void check(TinyHfModel.Layout layout, String key) throws Exception {
        TinyHfModel.write(dir.resolve(key), layout);
        try (HfGenerator model = new HfGenerator(dir.resolve(key), Device.cpu(), 64)) {
            for (JsonValue v : golden().getJsonArray(key)) {
                JsonObject c = v.asJsonObject();
                long[] prompt = longs(c.getJsonArray("prompt"));
                long[] expected = longs(c.getJsonArray("tokens"));
                JsonArray firstLogits = c.getJsonArray("first_logits");
                try (NDManager m = model.manager().newSubManager(); KvCache cache = model.decoder().newCache(m)) {
                    float[] logits = model.decoder().forward(prompt, cache);
                    for (int i = 0; i < logits.length; i++) {
                        assertThat(key + " logit " + i, (double) logits[i],
                                closeTo(firstLogits.getJsonNumber(i).doubleValue(), 1e-4));
                    }
                    List<Long> got = new ArrayList<>();
                    for (int step = 0; step < expected.length; step++) {
                        if (step > 0) {
                            logits = model.decoder().forward(new long[] {got.getLast()}, cache);
                        }
                        got.add((long) Sampler.argMax(logits));
                    }
                    assertThat(key + " greedy tokens for " + java.util.Arrays.toString(prompt),
                            got.stream().mapToLong(Long::longValue).toArray(), is(expected));
                }
            }
        }
    }

    @Test
    void llamaMatchesTheReferenceTokenForToken() throws Exception {
        check(TinyHfModel.Layout.LLAMA, "llama");
    }

    @Test
    void qwen2MatchesTheReferenceTokenForToken() throws Exception {
        check(TinyHfModel.Layout.QWEN2, "qwen2");
    }

    @Test
    void decodingWithTheKvCacheEqualsRecomputingTheWholeSequence() {
        TinyHfModel.write(dir.resolve("m"), TinyHfModel.Layout.QWEN2);
        try (HfGenerator model = new HfGenerator(dir.resolve("m"), Device.cpu(), 64)) {
            long[] sequence = {3, 4, 9, 10, 11, 12, 13, 3, 5, 20, 21, 22};
            try (NDManager m = model.manager().newSubManager()) {
                KvCache incremental = model.decoder().newCache(m);
                float[] stepwise = model.decoder().forward(java.util.Arrays.copyOf(sequence, 4), incremental);
                for (int i = 4; i < sequence.length; i++) {
                    stepwise = model.decoder().forward(new long[] {sequence[i]}, incremental);
                }
                float[] whole = model.decoder().forward(sequence, model.decoder().newCache(m));
                for (int i = 0; i < whole.length; i++) {
                    assertThat("logit " + i, (double) stepwise[i], closeTo(whole[i], 1e-4));
                }
            }
        }
    }
}
