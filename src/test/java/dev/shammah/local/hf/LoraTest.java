package dev.shammah.local.hf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.shammah.local.ChatRequest;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.TinyHfModel;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/** LoRA on the tiny model: a fresh adapter is the identity, training lowers the loss, PEFT files round-trip. */
class LoraTest {
    @TempDir
    static Path dir;
    static HfGenerator model;

    @BeforeAll
    static void load() {
        model = new HfGenerator(TinyHfModel.write(dir.resolve("m"), TinyHfModel.Layout.QWEN2), Device.cpu(), 16);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static ChatRequest ask(String text) {
        return new ChatRequest(null, List.of(new ChatRequest.Turn("user", text)), 16, 0, 0, 1, List.of());
    }

    @Test
    void aFreshAdapterChangesNothing() {
        long[] ids = {3, 4, 9, 10, 11, 3, 5};
        try (NDManager m = model.manager().newSubManager()) {
            LoraAdapter fresh = LoraAdapter.init(model.config(), 4, 8, List.of("q_proj", "v_proj"), m, 1);
            float[] base = model.decoder().logits(ids, null, m).toFloatArray();
            float[] adapted = model.decoder().logits(ids, fresh, m).toFloatArray();
            for (int i = 0; i < base.length; i++) {
                assertThat((double) adapted[i], closeTo(base[i], 1e-6));
            }
        }
    }

    @Test
    void trainingStepsLowerTheLossOnATinyBatch() {
        LoraTraining training = new LoraTraining(model, 0.1f);
        List<LoraTraining.Example> batch = List.of(
                training.example(ask("what is the capital of france"), "paris", 64),
                training.example(ask("tell me about the sun"), "the sun is red", 64));
        try (NDManager m = model.manager().newSubManager()) {
            LoraAdapter adapter = LoraAdapter.init(model.config(), 4, 8, List.of("q_proj", "v_proj", "o_proj"), m, 2);
            double before = training.loss(batch, adapter);
            int taken = 0;
            for (int i = 0; i < 80; i++) {
                // A step whose gradient is not finite is skipped and changes nothing (seen now and then when many
                // models have been loaded in one JVM); the rest must still learn.
                taken += Double.isFinite(training.step(batch, adapter)) ? 1 : 0;
            }
            double after = training.loss(batch, adapter);
            assertThat("steps taken", taken, greaterThanOrEqualTo(70));
            assertThat("loss " + before + " -> " + after, after, lessThan(before * 0.75));
            assertThat(adapter.allFinite(), is(true));
        }
    }

    @Test
    void eachStepUsesItsOwnGradientNotTheSumOfAllBefore() {
        LoraTraining frozen = new LoraTraining(model, 0f); // learning rate 0: the weights never move
        List<LoraTraining.Example> batch = List.of(frozen.example(ask("tell me about the moon"), "the moon", 64));
        try (NDManager m = model.manager().newSubManager()) {
            LoraAdapter adapter = LoraAdapter.init(model.config(), 4, 8, List.of("q_proj", "v_proj"), m, 5);
            frozen.step(batch, adapter);
            float[][] first = frozen.lastGradients;
            frozen.step(batch, adapter);
            float[][] second = frozen.lastGradients;
            boolean anyNonZero = false;
            for (int i = 0; i < first.length; i++) {
                for (int j = 0; j < first[i].length; j++) {
                    assertThat((double) second[i][j], closeTo(first[i][j], 1e-6));
                    anyNonZero |= first[i][j] != 0;
                }
            }
            assertThat("the gradients say something", anyNonZero, is(true));
        }
    }

    @Test
    void aNonFiniteLossSkipsTheStepAndChangesNothing() {
        LoraTraining training = new LoraTraining(model, 0.05f);
        List<LoraTraining.Example> batch = List.of(training.example(ask("hello"), "world", 64));
        try (NDManager m = model.manager().newSubManager()) {
            LoraAdapter adapter = LoraAdapter.init(model.config(), 2, 4, List.of("q_proj"), m, 3);
            LoraAdapter.Pair p = adapter.pair(0, "q_proj");
            float[] a = p.a().toFloatArray();
            a[0] = Float.NaN;
            p.a().set(a);
            float[] bBefore = p.b().toFloatArray();
            assertThat(Double.isNaN(training.step(batch, adapter)), is(true));
            assertThat(p.b().toFloatArray(), is(bBefore));
            assertThat(adapter.allFinite(), is(false));
        }
    }

    @Test
    void anAdapterRoundTripsThroughPeftFiles() throws Exception {
        try (NDManager m = model.manager().newSubManager()) {
            LoraAdapter adapter = LoraAdapter.init(model.config(), 4, 16, List.of("q_proj", "v_proj"), m, 4);
            LoraTraining training = new LoraTraining(model, 0.05f);
            training.step(List.of(training.example(ask("hello"), "world", 64)), adapter); // B no longer zero
            Path out = dir.resolve("adapter");
            adapter.save(out, "tiny-qwen2");
            JsonObject config = JsonText.parse(Files.readString(out.resolve("adapter_config.json")));
            assertThat(config.getString("peft_type"), is("LORA"));
            assertThat(config.getInt("r"), is(4));
            assertThat(config.getJsonArray("target_modules").getValuesAs(jakarta.json.JsonString.class).stream()
                    .map(jakarta.json.JsonString::getString).toList(), contains("q_proj", "v_proj"));
            Safetensors st = Safetensors.openFile(out.resolve("adapter_model.safetensors"));
            assertThat(st.has("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight"), is(true));
            LoraAdapter back = LoraAdapter.load(out, model.config(), m);
            for (int i = 0; i < adapter.parameters().size(); i++) {
                assertThat(back.parameters().get(i).toFloatArray(), is(adapter.parameters().get(i).toFloatArray()));
            }
            long[] ids = {3, 4, 9, 10};
            float[] x = model.decoder().logits(ids, adapter, m).toFloatArray();
            float[] y = model.decoder().logits(ids, back, m).toFloatArray();
            assertThat(y, is(x));
        }
    }
}
