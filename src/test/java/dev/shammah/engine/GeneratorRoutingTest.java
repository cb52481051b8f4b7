package dev.shammah.engine;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import ai.djl.Device;
import dev.shammah.learning.GeneratorEvidence;
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
        model.generate(ChatRequests.greedy(body)).forEachRemaining(s::append);
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
        // Closed in reverse: the app, then the fake teacher (whose answers run the model), then the model itself —
        // a model closed while the fake still generates with it would free weights under a running thread.
        try (HfGenerator direct = new HfGenerator(model, Device.cpu(), 16);
             FakeAnthropic teacher = FakeAnthropic.start();
             RunningApp app = RunningApp.startIn(teacher.baseUrl(), dir.resolve("data"), Map.of(
                     "model.path", model.toString(), "learning.enabled", "true", "learning.max-wrong-rate", "0.5",
                     "model.shadow-rate", "1.0", "learning.verify-rate", "1.0"), Clock.systemUTC())) {
            GeneratorEvidence evidence = app.app().learning().generatorEvidence();
            // The teacher answers exactly what the model would.
            teacher.answerWith(body -> text(direct, body));
            // Prompts whose answer the model finishes within max_tokens (only finished answers are evidence), from
            // one neighbourhood of similar prompts: evidence is kept per neighbourhood.
            java.util.Map<Integer, List<String>> byNeighbourhood = TinyHfModel.WORDS.subList(7,
                    TinyHfModel.WORDS.size()).stream().map(w -> "tell me about the " + w).filter(p -> {
                        HfGenerator.Generation g = direct.generate(ChatRequests.greedy(JsonText.parse(ask(p))));
                        g.forEachRemaining(t -> { });
                        return "end_turn".equals(g.stopReason());
                    }).collect(java.util.stream.Collectors.groupingBy(evidence::neighbourhood));
            List<String> prompts = byNeighbourhood.values().stream().max(java.util.Comparator.comparingInt(List::size))
                    .orElseThrow();
            assertThat("prompts in one neighbourhood: " + byNeighbourhood, prompts.size() >= 9, is(true));
            int n = evidence.neighbourhood(prompts.getFirst());
            java.util.Iterator<String> next = prompts.iterator();
            while (!evidence.trusted("default", prompts.getLast()) && next.hasNext()) {
                String p = next.next();
                long before = evidence.record("default", n).total();
                HttpResponse<String> res = app.post("/v1/messages", ask(p));
                assertThat(res.body(), res.headers().firstValue("x-shammah-route").orElse(""), is("forward"));
                await(() -> evidence.record("default", n).total() > before); // the shadow run, off the request's path
            }
            JsonObject status = JsonText.parse(app.get("/v1/training/status").body()).getJsonObject("local_model");
            assertThat(status.getJsonNumber("shadow_runs").longValue() >= evidence.record("default", n).total(),
                    is(true));
            assertThat(status.getInt("trusted_neighbourhoods"), is(1));
            assertThat("shadow runs that matched the teacher: " + evidence.record("default", n),
                    evidence.trusted("default", prompts.getLast()), is(true));
            String other = byNeighbourhood.entrySet().stream().filter(e -> e.getKey() != n).findFirst()
                    .map(e -> e.getValue().getFirst()).orElse(null);
            if (other != null) {
                assertThat("evidence in one neighbourhood does not vouch for another",
                        evidence.trusted("default", other), is(false));
            }

            int forwarded = teacher.received().size();
            String servedPrompt = next.next();
            HttpResponse<String> local = app.post("/v1/messages", ask(servedPrompt));
            assertThat(local.headers().firstValue("x-shammah-route").orElse(""), is("local"));
            JsonObject body = JsonText.parse(local.body());
            assertThat(body.getString("model"), is("shammah-local"));
            assertThat(body.getJsonArray("content").getJsonObject(0).getString("text"),
                    is(text(direct, JsonText.parse(ask(servedPrompt)))));

            // Now the teacher disagrees: verification of served answers records failures until trust is gone.
            teacher.answerWith(b -> "something else entirely");
            while (evidence.trusted("default", prompts.getLast()) && next.hasNext()) {
                String p = next.next();
                long before = evidence.record("default", n).fails();
                app.post("/v1/messages", ask(p));
                await(() -> evidence.record("default", n).fails() > before);
            }
            assertThat("verification failures: " + evidence.record("default", n),
                    evidence.trusted("default", prompts.getLast()), is(false));
            HttpResponse<String> after = app.post("/v1/messages", ask(prompts.getLast()));
            assertThat(after.headers().firstValue("x-shammah-route").orElse(""), is("forward"));
            assertThat(teacher.received().size() > forwarded, is(true));
        }
    }
}
