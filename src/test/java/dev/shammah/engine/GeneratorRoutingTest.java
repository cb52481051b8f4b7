package dev.shammah.engine;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import ai.djl.Device;
import dev.shammah.local.ChatRequest;
import dev.shammah.local.hf.HfGenerator;
import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.TinyHfModel;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Routing to the user's model by evidence: with no comparisons everything forwards; shadow runs whose answers
 * equal the teacher's earn it the tenant's new requests (here under a loose bound, so a handful suffice); served
 * answers the teacher contradicts (verification) take that back.
 */
class GeneratorRoutingTest {
    @TempDir
    Path dir;

    private static String ask(String text) {
        return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\""
                + text + "\"}]}";
    }

    private static String text(HfGenerator model, JsonObject body) {
        StringBuilder s = new StringBuilder();
        model.generate(GeneratorEvidence.greedy(body)).forEachRemaining(s::append);
        return s.toString();
    }

    /** A model folder whose greedy answers end on their own within a few tokens (eos = a token it produces). */
    private Path modelThatEnds() throws Exception {
        Path probe = TinyHfModel.write(dir.resolve("probe"), TinyHfModel.Layout.QWEN2);
        Files.writeString(probe.resolve("generation_config.json"), "{\"eos_token_id\": 100000}");
        long eos;
        try (HfGenerator g = new HfGenerator(probe, Device.cpu(), 8)) {
            HfGenerator.Generation gen = g.generate(new ChatRequest(null,
                    List.of(new ChatRequest.Turn("user", "one")), 3, 0, 0, 1, List.of()));
            gen.forEachRemaining(t -> { });
            eos = gen.tokens()[2];
        }
        Path model = TinyHfModel.write(dir.resolve("model"), TinyHfModel.Layout.QWEN2);
        Files.writeString(model.resolve("generation_config.json"), "{\"eos_token_id\": " + eos + "}");
        return model;
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void theModelEarnsRequestsByMatchingTheTeacherAndLosesThemWhenItDoesNot() throws Exception {
        Path model = modelThatEnds();
        try (FakeAnthropic teacher = FakeAnthropic.start();
             HfGenerator direct = new HfGenerator(model, Device.cpu(), 16);
             RunningApp app = RunningApp.startIn(teacher.baseUrl(), dir.resolve("data"), Map.of(
                     "model.path", model.toString(), "learning.enabled", "true", "learning.max-wrong-rate", "0.5",
                     "model.shadow-rate", "1.0", "learning.verify-rate", "1.0"), Clock.systemUTC())) {
            GeneratorEvidence evidence = app.app().engine().learning().generatorEvidence();
            // The teacher answers exactly what the model would.
            teacher.answerWith(body -> text(direct, body));
            // Prompts whose answer the model finishes within max_tokens: only finished answers are evidence.
            List<String> prompts = TinyHfModel.WORDS.subList(7, TinyHfModel.WORDS.size()).stream().filter(w -> {
                HfGenerator.Generation g = direct.generate(GeneratorEvidence.greedy(JsonText.parse(ask(w))));
                g.forEachRemaining(t -> { });
                return "end_turn".equals(g.stopReason());
            }).limit(8).toList();
            assertThat("prompts the tiny model answers in full: " + prompts, prompts.size() >= 5, is(true));
            for (String p : prompts) {
                long before = evidence.record("default").total();
                HttpResponse<String> res = app.post("/v1/messages", ask(p));
                assertThat(res.body(), res.headers().firstValue("x-shammah-route").orElse(""), is("forward"));
                await(() -> evidence.record("default").total() > before); // the shadow run, off the request's path
                if (evidence.trusted("default")) {
                    break;
                }
            }
            await(() -> evidence.trusted("default"));
            assertThat("shadow runs that matched the teacher: " + evidence.record("default"),
                    evidence.trusted("default"), is(true));

            int forwarded = teacher.received().size();
            HttpResponse<String> local = app.post("/v1/messages", ask("nine ten"));
            assertThat(local.headers().firstValue("x-shammah-route").orElse(""), is("local"));
            JsonObject body = JsonText.parse(local.body());
            assertThat(body.getString("model"), is("shammah-local"));
            assertThat(body.getJsonArray("content").getJsonObject(0).getString("text"),
                    is(text(direct, JsonText.parse(ask("nine ten")))));

            // Now the teacher disagrees: verification of served answers records failures until trust is gone.
            teacher.answerWith(b -> "something else entirely");
            for (String p : List.of("cat", "dog", "sun", "moon", "red", "blue", "green", "yes", "no", "please")) {
                if (!evidence.trusted("default")) {
                    break;
                }
                app.post("/v1/messages", ask(p));
                long before = evidence.record("default").fails();
                await(() -> evidence.record("default").fails() > before || !evidence.trusted("default"));
            }
            assertThat("verification failures: " + evidence.record("default"), evidence.trusted("default"),
                    is(false));
            HttpResponse<String> after = app.post("/v1/messages", ask("what about france"));
            assertThat(after.headers().firstValue("x-shammah-route").orElse(""), is("forward"));
            assertThat(teacher.received().size() > forwarded, is(true));
        }
    }
}
