package dev.shammah.local.hf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.djl.Device;
import dev.shammah.engine.ModelRunner;
import dev.shammah.local.ChatRequest;
import dev.shammah.testsupport.TinyHfModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Generation through the chat template and the tokenizer: stops, sampling, folder errors, the permit. */
class HfGeneratorTest {
    @TempDir
    static Path dir;
    static HfGenerator model;

    @BeforeAll
    static void load() {
        model = new HfGenerator(TinyHfModel.write(dir.resolve("llama"), TinyHfModel.Layout.LLAMA), Device.cpu(), 64);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static ChatRequest ask(String text, int maxTokens, double temperature, int topK, List<String> stops) {
        return new ChatRequest("be brief", List.of(new ChatRequest.Turn("user", text)), maxTokens, temperature, topK,
                1.0, stops);
    }

    private static String all(HfGenerator.Generation g) {
        StringBuilder s = new StringBuilder();
        int pieces = 0;
        while (g.hasNext()) {
            s.append(g.next());
            pieces++;
        }
        assertThat("one piece per generated token", (long) pieces, is((long) g.tokens().length));
        return s.toString();
    }

    @Test
    void theChatTemplateRendersTheConversationAndTheTokenizerCountsIt() {
        ChatRequest r = ask("hello world", 5, 0, 0, List.of());
        long[] ids = model.promptIds(r);
        // "<|im|> system be brief <|im|> user hello world <|im|> assistant": be and brief are not in the vocabulary
        assertThat(ids[0], is(3L));
        assertThat(ids[ids.length - 1], is(5L));
        assertThat(model.decode(ids), containsString("hello world"));
    }

    @Test
    void greedyGenerationIsDeterministicAndStopsAtMaxTokens() {
        HfGenerator.Generation a = model.generate(ask("hello world", 6, 0, 0, List.of()));
        String first = all(a);
        HfGenerator.Generation b = model.generate(ask("hello world", 6, 0, 0, List.of()));
        assertThat(all(b), is(first));
        assertThat(a.stopReason(), is(a.tokens().length == 6 ? "max_tokens" : "end_turn"));
        assertThat(a.inputTokens(), is((long) model.promptIds(ask("hello world", 6, 0, 0, List.of())).length));
    }

    @Test
    void topKOfOneSamplesTheGreedyAnswer() {
        String greedy = all(model.generate(ask("what is the capital of france", 8, 0, 0, List.of())));
        String sampled = all(model.generate(ask("what is the capital of france", 8, 1.5, 1, List.of())));
        assertThat(sampled, is(greedy));
    }

    @Test
    void aStopSequenceEndsTheAnswerBeforeIt() {
        HfGenerator.Generation g = model.generate(ask("hello world", 12, 0, 0, List.of()));
        String full = all(g);
        String[] words = full.strip().split(" ");
        if (words.length < 3) {
            return; // the tiny model ended early: nothing to cut
        }
        String stop = words[2];
        HfGenerator.Generation cut = model.generate(ask("hello world", 12, 0, 0, List.of(stop)));
        String text = all(cut);
        assertThat(text, not(containsString(stop)));
        assertThat(full, containsString(text.strip()));
        assertThat(cut.stopReason(), is("stop_sequence"));
        assertThat(cut.stopSequence(), is(stop));
    }

    @Test
    void thePermitIsHeldWhileTheModelGeneratesAndCancellingStopsIt() throws Exception {
        java.util.concurrent.CountDownLatch secondToken = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        // A model that never ends on its own, so only the cancel can stop it before max_tokens.
        Path endless = TinyHfModel.write(dir.resolve("endless"), TinyHfModel.Layout.LLAMA);
        Files.writeString(endless.resolve("generation_config.json"), "{\"eos_token_id\": 100000}");
        HfGenerator endlessModel = new HfGenerator(endless, Device.cpu(), 64);
        HfGenerator.Generation inner = endlessModel.generate(ask("hello", 64, 1.0, 0, List.of()));
        java.util.Iterator<String> paused = new java.util.Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return inner.hasNext();
            }

            @Override
            public String next() {
                if (++n == 2) {
                    secondToken.countDown();
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return inner.next();
            }
        };
        try (ModelRunner runner = new ModelRunner(1, Duration.ofMillis(50))) {
            ModelRunner.Generation g = runner.start(() -> paused, 64);
            secondToken.await();
            assertThat("held while the model works", runner.available(), is(0));
            assertThat("a second use waits for the permit, then gives up", runner.start(
                    () -> model.generate(ask("hello", 4, 0, 0, List.of())), 4) == null, is(true));
            g.close(); // the client went away
            go.countDown();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (runner.available() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat("the permit comes back once the model stops", runner.available(), is(1));
            assertThat("decoding stopped at the cancel, not at max_tokens", inner.tokens().length, lessThan(5));
        } finally {
            endlessModel.close();
        }
    }

    @Test
    void aFolderShammahCannotRunIsAnErrorNamingWhatIsWrong() throws Exception {
        Path bad = TinyHfModel.write(dir.resolve("gpt2"), TinyHfModel.Layout.LLAMA);
        Files.writeString(bad.resolve("config.json"), Files.readString(bad.resolve("config.json"))
                .replace("LlamaForCausalLM", "GPT2LMHeadModel"));
        ModelFolderException e = assertThrows(ModelFolderException.class, () -> new HfGenerator(bad, Device.cpu(), 8));
        assertThat(e.getMessage(), containsString("GPT2LMHeadModel is not supported"));

        Path missing = TinyHfModel.write(dir.resolve("missing"), TinyHfModel.Layout.QWEN2);
        Files.delete(missing.resolve("model.safetensors"));
        e = assertThrows(ModelFolderException.class, () -> new HfGenerator(missing, Device.cpu(), 8));
        assertThat(e.getMessage(), containsString("model.safetensors"));

        Path wrongShape = TinyHfModel.write(dir.resolve("shape"), TinyHfModel.Layout.LLAMA);
        Files.writeString(wrongShape.resolve("config.json"), Files.readString(wrongShape.resolve("config.json"))
                .replace("\"intermediate_size\": 32", "\"intermediate_size\": 40"));
        e = assertThrows(ModelFolderException.class, () -> new HfGenerator(wrongShape, Device.cpu(), 8));
        assertThat(e.getMessage(), containsString("gate_proj.weight"));
    }

    @Test
    void halfPrecisionFilesLoadAsTheirFloatValues() {
        Path bf16 = TinyHfModel.write(dir.resolve("bf16"), TinyHfModel.Layout.QWEN2, "BF16");
        Safetensors st = Safetensors.open(bf16);
        float[] got = st.floats("model.norm.weight", TinyHfModel.HIDDEN);
        for (int i = 0; i < got.length; i++) {
            float exact = TinyHfModel.value("model.norm.weight", i);
            assertThat(Math.abs(got[i] - exact), lessThan(0.01f));
            assertThat(Float.floatToRawIntBits(got[i]) & 0xffff, is(0));
        }
        Path f16 = TinyHfModel.write(dir.resolve("f16"), TinyHfModel.Layout.LLAMA, "F16");
        float[] half = Safetensors.open(f16).floats("model.norm.weight", TinyHfModel.HIDDEN);
        assertThat(half[3], is(Float.float16ToFloat(Float.floatToFloat16(TinyHfModel.value("model.norm.weight", 3)))));
        try (HfGenerator m = new HfGenerator(bf16, Device.cpu(), 8)) {
            List<String> pieces = new ArrayList<>();
            m.generate(ask("hello", 4, 0, 0, List.of())).forEachRemaining(pieces::add);
            assertThat(String.join("", pieces), not(endsWith("\uFFFD")));
        }
    }
}
