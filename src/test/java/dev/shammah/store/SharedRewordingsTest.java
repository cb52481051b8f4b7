package dev.shammah.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.TestPostgres;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.shammah.testsupport.Cluster.ask;
import static dev.shammah.testsupport.Cluster.await;
import static dev.shammah.testsupport.Cluster.learning;
import static dev.shammah.testsupport.Cluster.route;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Rewordings observed through a shared store: one instance finds its candidates among what another learned, the
 * observations are shared evidence, and a new instance rebuilds both from the database.
 */
class SharedRewordingsTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();
    static final String STORED = "How can I improve my English speaking?";
    static final String REWORDED = "What should I do to improve my speaking in English?";

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    private static Map<String, String> config(String url) {
        Map<String, String> c = new HashMap<>(learning(url));
        // Without the prompt's text in the database another instance has nothing to embed.
        c.put("log.store-text", "true");
        return c;
    }

    private static JsonObject rewordings(RunningApp app) {
        return JsonText.parse(app.get("/v1/training/status").body()).getJsonObject("rewordings");
    }

    @Test
    void oneInstancesExchangesAreAnothersCandidatesAndTheEvidenceIsShared() {
        String url = TestPostgres.shared().newDatabase();
        TEACHER.reset();
        TEACHER.answerWith(r -> "Speak every day.");
        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, config(url), Clock.systemUTC());
             RunningApp b = RunningApp.startIn(TEACHER.baseUrl(), dirB, config(url), Clock.systemUTC())) {
            assertThat(route(ask(a, null, STORED)), is("forward"));
            await("B has what A learned", () -> b.app().learning().memory().size() == 1);
            b.app().learning().drain();
            assertThat(route(ask(b, null, REWORDED)), is("forward"));
            JsonObject onB = rewordings(b);
            assertThat("A's exchange is B's candidate", onB.getInt("candidates"), is(1));
            assertThat(onB.getInt("agreed"), is(1));
            await("A sees B's observation", () -> rewordings(a).getInt("agreed") == 1);

            try (RunningApp c = RunningApp.startIn(TEACHER.baseUrl(), dirA.resolve("c"), config(url),
                    Clock.systemUTC())) {
                await("C rebuilt its copy", () -> c.app().learning().memory().size() == 2);
                c.app().learning().drain();
                JsonObject onC = rewordings(c);
                assertThat("the evidence is the database's", onC.getInt("candidates"), is(1));
                assertThat(onC.getInt("agreed"), is(1));
                assertThat("C filed the stored prompts by meaning", onC.getInt("indexed_prompts"), is(2));
            }
        }
    }
}
