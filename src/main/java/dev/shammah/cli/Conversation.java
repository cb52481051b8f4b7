package dev.shammah.cli;

import java.util.List;

import dev.shammah.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonValue;

/**
 * Where a terminal conversation stands between requests: the session that holds it, and the {@code tool_use}
 * blocks of the session's last assistant message that no {@code tool_result} answered. Claude refuses (400) a
 * conversation with an unanswered {@code tool_use}, and the session keeps one whenever the tool loop stops in the
 * middle — at {@code cli.max-tool-iterations}, on Ctrl-C, or when a later round fails — so the next message
 * in the session first answers them, as not run.
 */
final class Conversation {
    private String sessionId;
    private List<String> unanswered = List.of();
    private String stopped = "";

    Conversation(String sessionId) {
        this.sessionId = sessionId;
    }

    String sessionId() {
        return sessionId;
    }

    /** Ids of the tool calls the session still owes a result. */
    List<String> unanswered() {
        return unanswered;
    }

    /** The content of the next user message: a result for each unanswered tool call, then the text. */
    JsonValue userContent(String text) {
        if (unanswered.isEmpty()) {
            return Json.createValue(text);
        }
        JsonArrayBuilder content = Json.createArrayBuilder();
        for (String id : unanswered) {
            content.add(Json.createObjectBuilder()
                    .add("type", "tool_result")
                    .add("tool_use_id", id)
                    .add("is_error", true)
                    .add("content", "not run: the tool loop stopped (" + stopped + ")"));
        }
        return content.add(Json.createObjectBuilder().add("type", "text").add("text", text)).build();
    }

    /**
     * A reply was stored in {@code session}: what it owes now are its own tool calls, which the loop answers next
     * unless it stops first.
     */
    void replied(String session, List<String> toolUseIds) {
        sessionId = session;
        unanswered = List.copyOf(toolUseIds);
        stopped = "the model stopped";
    }

    /** The request went to {@code session} (a cancelled one still names it); nothing was stored. */
    void sentTo(String session) {
        if (session != null) {
            sessionId = session;
        }
    }

    /** The loop stops with the session as it is; {@code why} goes into the results the next message sends. */
    void stopped(String why) {
        stopped = why;
    }
}
