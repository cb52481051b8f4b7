package dev.shammah.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import dev.shammah.cli.tools.ToolBox;
import dev.shammah.engine.EngineReply;
import dev.shammah.engine.EventSink;
import dev.shammah.engine.Turn;
import dev.shammah.testsupport.FakeAnthropic;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** A tool loop that stops midway leaves a conversation whose next message Claude still accepts. */
class ConversationTest {
    @TempDir
    Path dir;

    /** Plays back replies in order and keeps each request body. */
    private static final class Replies implements Answerer {
        final Deque<EngineReply> replies = new ArrayDeque<>();
        final List<JsonObject> bodies = new ArrayList<>();

        @Override
        public EngineReply answer(JsonObject body, Turn.Route route, EventSink sink) {
            bodies.add(body);
            return replies.removeFirst();
        }

        @Override
        public long[] routeCounts() {
            return null;
        }

        @Override
        public double dollarsSaved() {
            return Double.NaN;
        }

        @Override
        public jakarta.json.JsonObject usage() {
            return null;
        }

        @Override
        public String describeSession(String sessionId) {
            return "";
        }

        @Override
        public String training() {
            return "";
        }

        @Override
        public String models() {
            return "";
        }

        @Override
        public String where() {
            return "test";
        }
    }

    private static final AgentLoop.Listener QUIET = new AgentLoop.Listener() {
        @Override
        public void firstToken() {
        }

        @Override
        public void text(String delta) {
        }

        @Override
        public void toolCall(String description) {
        }

        @Override
        public void toolResult(String summary, boolean error) {
        }

        @Override
        public void notice(String message) {
        }
    };

    private static JsonObject message(String role, JsonValue content) {
        return Json.createObjectBuilder().add("role", role).add("content", content).build();
    }

    private static JsonArray toolUse(String id) {
        return Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("type", "text").add("text", "let me look"))
                .add(Json.createObjectBuilder().add("type", "tool_use").add("id", id).add("name", "bash")
                        .add("input", Json.createObjectBuilder().add("command", "echo hi")))
                .build();
    }

    @Test
    void aToolRoundCancelledIsAnsweredAsNotRunByTheNextMessage() {
        Replies answerer = new Replies();
        answerer.replies.add(new EngineReply(200, Json.createObjectBuilder().add("role", "assistant")
                .add("content", toolUse("toolu_1")).add("stop_reason", "tool_use").build(), "sess_1", Map.of(), null));
        answerer.replies.add(new EngineReply(499, JsonValue.EMPTY_JSON_OBJECT, "sess_1", Map.of(), null));
        AgentLoop loop = new AgentLoop(answerer, new ToolBox(dir, Duration.ofSeconds(5)), (tool, call) -> true, 10);
        Conversation conversation = new Conversation(null);

        AgentLoop.Outcome o = loop.ask("go", conversation, new AgentLoop.Options("claude-test", 100, null, false,
                Turn.Route.AUTO), QUIET, () -> false);

        assertThat(o.cancelled(), is(true));
        assertThat(conversation.sessionId(), is("sess_1"));
        assertThat(conversation.unanswered(), is(List.of("toolu_1")));
        // What the session holds (the cancelled round stored nothing), then the next message.
        JsonValue next = conversation.userContent("and now?");
        JsonArray history = Json.createArrayBuilder().add(message("user", Json.createValue("go")))
                .add(message("assistant", toolUse("toolu_1"))).add(message("user", next)).build();
        assertThat(FakeAnthropic.invalidConversation(history), is(nullValue()));
        JsonObject result = next.asJsonArray().getJsonObject(0);
        assertThat(result.getString("tool_use_id"), is("toolu_1"));
        assertThat(result.getBoolean("is_error"), is(true));
        assertThat(result.getString("content"), is("not run: the tool loop stopped (cancelled)"));
        assertThat(next.asJsonArray().getJsonObject(1).getString("text"), is("and now?"));
    }

    @Test
    void theFakeUpstreamRefusesWhatClaudeRefuses() {
        JsonObject user = message("user", Json.createValue("hi"));
        JsonObject assistant = message("assistant", Json.createValue("hello"));
        JsonObject system = message("system", Json.createValue("be brief"));
        JsonObject asks = message("assistant", toolUse("toolu_1"));
        JsonObject answers = message("user", Json.createArrayBuilder().add(Json.createObjectBuilder()
                .add("type", "tool_result").add("tool_use_id", "toolu_1").add("content", "hi")).build());
        assertThat(FakeAnthropic.invalidConversation(array(system, user, asks, answers, assistant, user)),
                is(nullValue()));
        assertThat(FakeAnthropic.invalidConversation(array(assistant, user)), containsString("first message"));
        assertThat(FakeAnthropic.invalidConversation(array(user, user)), containsString("roles must alternate"));
        assertThat(FakeAnthropic.invalidConversation(array(user, asks, user)),
                containsString("`tool_use` ids were found without `tool_result` blocks immediately after: toolu_1"));
        assertThat(FakeAnthropic.invalidConversation(array(user, assistant, answers)),
                containsString("unexpected `tool_use_id` found in `tool_result` blocks: toolu_1"));
    }

    private static JsonArray array(JsonObject... messages) {
        var b = Json.createArrayBuilder();
        for (JsonObject m : messages) {
            b.add(m);
        }
        return b.build();
    }
}
