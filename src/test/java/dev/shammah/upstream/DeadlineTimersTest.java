package dev.shammah.upstream;

import java.nio.file.Path;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.TestConfigs;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * Every upstream call arms a deadline timer and cancels it when the answer is in. A cancelled timer that stays
 * queued until its deadline would have passed grew the heap by 100 MB in three minutes of load; finished calls
 * must leave nothing behind.
 */
class DeadlineTimersTest {
    @Test
    void finishedCallsLeaveNoTimerQueued(@TempDir Path dir) {
        try (FakeAnthropic upstream = FakeAnthropic.start()) {
            var settings = TestConfigs.forUpstream(upstream.baseUrl(), dir, Map.of("upstream.timeout", "60s"))
                    .upstream();
            ClaudeClient client = new ClaudeClient(settings);
            int before = ClaudeClient.pendingDeadlines();
            JsonObject body = Json.createObjectBuilder().add("model", "claude-test").add("max_tokens", 10)
                    .add("messages", Json.createArrayBuilder().add(Json.createObjectBuilder()
                            .add("role", "user").add("content", "hi"))).build();
            for (int i = 0; i < 25; i++) {
                assertThat(client.post("/v1/messages", body, ForwardedHeaders.NONE).status(), is(200));
            }
            assertThat("timers still queued after every call finished", ClaudeClient.pendingDeadlines(),
                    lessThanOrEqualTo(before));
        }
    }
}
