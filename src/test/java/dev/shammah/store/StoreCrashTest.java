package dev.shammah.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.StoreVictim;
import dev.shammah.testsupport.TestPostgres;
import jakarta.json.JsonArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.shammah.testsupport.Cluster.await;
import static dev.shammah.testsupport.Cluster.learning;
import static dev.shammah.testsupport.Cluster.route;
import static dev.shammah.testsupport.Cluster.text;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * kill -9 of one instance, at a random moment of its work: everything it reported committed is there for the
 * other instance — every exchange served locally, every turn of its conversation — and a turn it held when it died
 * does not lock the conversation: the other instance continues it once the dead one's heartbeat has stopped.
 */
class StoreCrashTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    @Test
    void killingOneInstanceLosesNothingCommitted() throws Exception {
        String url = TestPostgres.shared().newDatabase();
        TEACHER.answerWith(r -> "answer to " + r.getJsonArray("messages").size() + " messages");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process victim = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), StoreVictim.class.getName(), url, TEACHER.baseUrl().toString(),
                dirA.toString()).redirectErrorStream(true).start();
        List<Integer> learned = new ArrayList<>();
        int turns = 0;
        int until = 4 + ThreadLocalRandom.current().nextInt(6);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(victim.getInputStream()))) {
            String line;
            while (turns < until && (line = out.readLine()) != null) {
                if (line.startsWith("learned ")) {
                    learned.add(Integer.parseInt(line.substring(8)));
                } else if (line.startsWith("turn ")) {
                    turns++;
                }
            }
            assertThat("the victim ran", turns, is(until));
            // Kill it at a random moment of what it does next.
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 60));
            victim.destroyForcibly();
            victim.waitFor();
        }

        try (RunningApp b = RunningApp.startIn(TEACHER.baseUrl(), dirB, learning(url), Clock.systemUTC())) {
            int asked = TEACHER.received().size();
            for (int i : learned) {
                HttpResponse<String> r = b.post("/v1/messages", Requests.simple("Victim question " + i, null));
                assertThat("exchange " + i + " was committed", route(r), is("local"));
                assertThat(text(r), is("answer to 1 messages"));
            }
            assertThat("none of them went to the teacher", TEACHER.received().size(), is(asked));

            // The conversation has every turn it reported, and is not locked by the dead instance for long.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            HttpResponse<String> next;
            do {
                next = b.post("/v1/messages", Requests.simple("One more turn", "victim-conversation"));
            } while (next.statusCode() == 409 && System.nanoTime() < deadline);
            assertThat(next.body(), next.statusCode(), is(200));
            JsonArray sent = TEACHER.last().body().getJsonArray("messages");
            assertThat("every recorded turn is in the history", sent.size(), greaterThanOrEqualTo(2 * turns + 1));
            assertThat(JsonText.parse(b.get("/v1/session/victim-conversation").body()).getInt("turns"),
                    greaterThanOrEqualTo(turns + 1));
            await("the dead instance is no longer counted", () -> b.app().sharedStore().liveInstances() == 1);
        }
    }
}
