package dev.shammah.store;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.TestPostgres;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.shammah.testsupport.Cluster.await;
import static dev.shammah.testsupport.Cluster.lastReason;
import static dev.shammah.testsupport.Cluster.learning;
import static dev.shammah.testsupport.Cluster.route;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * PostgreSQL stops in the middle of traffic to two instances and comes back: no request fails. While it is away
 * every request is forwarded (readiness and /metrics say why), sessions started meanwhile continue — on either
 * instance once it is back — and learning resumes when it returns.
 */
class StoreOutageTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    /** One conversation of the traffic: started on one instance, continued on the other, checked each turn. */
    private static List<String> converse(RunningApp first, RunningApp second, String topic) {
        List<String> problems = new ArrayList<>();
        HttpResponse<String> r1 = first.post("/v1/messages", Requests.simple("Tell me about " + topic, null));
        if (r1.statusCode() != 200) {
            problems.add("turn 1 on " + topic + ": " + r1.statusCode() + " " + r1.body());
            return problems;
        }
        String session = JsonText.parse(r1.body()).getString("session_id");
        HttpResponse<String> r2 = second.post("/v1/messages", Requests.simple("And more about " + topic, session));
        if (r2.statusCode() != 200) {
            problems.add("turn 2 on " + topic + ": " + r2.statusCode() + " " + r2.body());
        } else if (!JsonText.parse(r2.body()).getJsonArray("content").getJsonObject(0).getString("text")
                .equals("3 messages, first: Tell me about " + topic)) {
            problems.add("turn 2 on " + topic + " lost its history: " + r2.body());
        }
        return problems;
    }

    @Test
    void theDatabaseGoingAwayAndComingBackMidTrafficFailsNoRequest() throws Exception {
        try (TestPostgres pg = TestPostgres.start()) {
            String url = pg.newDatabase();
            Map<String, String> c = new HashMap<>(learning(url));
            c.put("store.outage-wait", "60s");
            // One client (this address) holds every conversation of the traffic: the session limits have a test
            // of their own, here they would only evict conversations between their turns.
            c.put("server.max-sessions", "100000");
            c.put("server.max-sessions-per-client", "100000");
            TEACHER.answerWith(r -> {
                var m = r.getJsonArray("messages");
                JsonObject first = m.getJsonObject(0);
                return m.size() + " messages, first: " + first.getString("content");
            });
            try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, c, Clock.systemUTC());
                 RunningApp b = RunningApp.startIn(TEACHER.baseUrl(), dirB, c, Clock.systemUTC())) {
                a.post("/v1/messages", Requests.simple("A question asked before", null));
                a.app().learning().drain();
                await("B has it", () -> b.app().learning().memory().size() == 1);
                assertThat(route(b.post("/v1/messages", Requests.simple("A question asked before", null))), is("local"));

                List<String> problems = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicInteger conversations = new AtomicInteger();
                ExecutorService clients = Executors.newFixedThreadPool(6);
                List<Future<?>> load = new ArrayList<>();
                // Steady traffic: conversations kept on one instance (as a sticky client does), and a repeated
                // question that is local while the store is there.
                for (int t = 0; t < 4; t++) {
                    int client = t;
                    load.add(clients.submit(() -> {
                        int n = 0;
                        while (running.get()) {
                            RunningApp at = (client + n) % 2 == 0 ? a : b;
                            problems.addAll(converse(at, at, "topic " + client + "-" + n++));
                            HttpResponse<String> known = at.post("/v1/messages",
                                    Requests.simple("A question asked before", null));
                            if (known.statusCode() != 200) {
                                problems.add("repeat: " + known.statusCode() + " " + known.body());
                            }
                            conversations.incrementAndGet();
                        }
                    }));
                }
                await("traffic flows", () -> conversations.get() >= 8);
                problems.addAll(converse(a, b, "before the outage"));

                pg.stop();
                await("A noticed", () -> !a.app().sharedStore().status().current());
                int during = conversations.get();
                await("traffic goes on without the database", () -> conversations.get() >= during + 8);
                // Conversations started now and continued on the other instance: the second turn waits for the
                // store (store.outage-wait) and continues with its whole history once it is back.
                List<Future<List<String>>> across = List.of(clients.submit(() -> converse(a, b, "the outage, on A")),
                        clients.submit(() -> converse(b, a, "the outage, on B")));
                HttpResponse<String> ready = a.get("/health/checks/ready");
                assertThat(ready.statusCode(), is(503));
                assertThat(ready.body(), containsString("store"));
                assertThat(a.get("/metrics").body(), matchesPattern("(?s).*\\nshammah_store_up\\{[^}]*} 0\\.0\\n.*"));
                HttpResponse<String> known = b.post("/v1/messages", Requests.simple("A question asked before", null));
                assertThat(known.statusCode(), is(200));
                assertThat("nothing is answered locally without the store", route(known), is("forward"));
                assertThat(lastReason(b), is("store-unavailable"));
                Thread.sleep(1000);

                pg.restart();
                await("A is back", () -> a.app().sharedStore().status().current());
                await("B is back", () -> b.app().sharedStore().status().current());
                for (Future<List<String>> f : across) {
                    problems.addAll(f.get());
                }
                int after = conversations.get();
                await("traffic after the return", () -> conversations.get() >= after + 8);
                problems.addAll(converse(b, a, "after the outage"));
                running.set(false);
                for (Future<?> f : load) {
                    f.get();
                }
                clients.shutdown();
                assertThat(problems, is(empty()));
                assertThat(conversations.get(), greaterThan(24));
                assertThat(a.get("/health/checks/ready").statusCode(), is(200));
                assertThat(a.get("/metrics").body(), matchesPattern("(?s).*\\nshammah_store_up\\{[^}]*} 1\\.0\\n.*"));
                assertThat(route(b.post("/v1/messages", Requests.simple("A question asked before", null))), is("local"));

                // Learning resumed: what A learns now, B serves.
                a.post("/v1/messages", Requests.simple("A question asked after", null));
                a.app().learning().drain();
                int learned = b.app().learning().memory().size();
                assertThat(learned, greaterThan(1));
                await("B serves what A learned after the outage", () -> route(b.post("/v1/messages",
                        Requests.simple("A question asked after", null))).equals("local"));
            }
        }
    }

    @Test
    void aStoredConversationWaitsForTheStoreThenIsRefusedRatherThanAnsweredFromAStaleHistory() throws Exception {
        try (TestPostgres pg = TestPostgres.start()) {
            Map<String, String> c = new HashMap<>(learning(pg.newDatabase()));
            c.put("store.outage-wait", "1s");
            TEACHER.answerWith(r -> "noted");
            try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, c, Clock.systemUTC())) {
                assertThat(a.post("/v1/messages", Requests.simple("Remember 42.", "kept-conversation")).statusCode(),
                        is(200));
                pg.stop();
                await("A noticed", () -> !a.app().sharedStore().status().current());
                long start = System.nanoTime();
                HttpResponse<String> refused = a.post("/v1/messages", Requests.simple("What was it?",
                        "kept-conversation"));
                assertThat(refused.statusCode(), is(503));
                assertThat(refused.body(), containsString("out of reach"));
                assertThat("it waited store.outage-wait first", System.nanoTime() - start,
                        greaterThan(1_000_000_000L));
                assertThat(a.get("/v1/session/kept-conversation").statusCode(), is(503));
                // A request that needs no stored history is answered all the same.
                assertThat(a.post("/v1/messages", Requests.simple("Something new", null)).statusCode(), is(200));
                pg.restart();
                await("A is back", () -> a.app().sharedStore().status().current());
                HttpResponse<String> resumed = a.post("/v1/messages", Requests.simple("What was it?",
                        "kept-conversation"));
                assertThat(resumed.statusCode(), is(200));
                assertThat(TEACHER.last().body().getJsonArray("messages").size(), is(3));
            }
        }
    }
}
