package dev.shammah.metrics;

import java.time.Instant;

import dev.shammah.json.Json;
import jakarta.json.JsonObjectBuilder;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Log lines written field by field are the text a built object printed (what readers of old logs parse). */
class JsonLineTest {
    static final Instant AT = Instant.parse("2026-12-06T10:15:30.123Z");

    @Test
    void aRequestLineIsTheBuiltObjectsText() {
        RequestLogEntry full = new RequestLogEntry(AT, "req_1", "sess_1", "abc", "claude", "local", true, 200, 3, -1,
                12, -1, null, "reworded", "same", 0.0001, "a \"quoted\"\nprompt");
        assertThat(full.toJson(), is(built(full)));
        RequestLogEntry bare = new RequestLogEntry(AT, "req_2", null, null, null, "rejected", false, 400, 0, -1, -1, -1,
                "bad é", null, null, -1, null);
        assertThat(bare.toJson(), is(built(bare)));
    }

    @Test
    void anAuditLineIsTheBuiltObjectsText() {
        AuditLog.Entry e = new AuditLog.Entry(AT, "req_1", "key_1", "POST", "/v1/messages", null, "local", 200, 120, -1);
        JsonObjectBuilder b = Json.createObjectBuilder().add("timestamp", AT.toString()).add("request_id", "req_1")
                .add("caller", "key_1").add("method", "POST").add("route", "/v1/messages").add("status", 200)
                .addNull("session_id").add("decision", "local").add("bytes_in", 120).addNull("bytes_out");
        assertThat(e.toJson(), is(b.build().toString()));
    }

    @Test
    void comparisonLinesAreTheBuiltObjectsText() {
        ShadowLogEntry shadow = new ShadowLogEntry(AT, "req_1", "verify", "e1", "wrapped", 2, 0.123456, "agreement",
                true);
        assertThat(shadow.toJson(), is(Json.createObjectBuilder().add("timestamp", AT.toString())
                .add("request_id", "req_1").add("kind", "verify").add("candidate", "e1").add("match", "wrapped")
                .add("edits", 2).add("score", 0.1235).add("basis", "agreement").add("pass", true).build().toString()));
        RewordLogEntry reword = new RewordLogEntry(AT, "req_2", "e2", 0.91234, "pass", 1.0, "identical", true);
        assertThat(reword.toJson(), is(Json.createObjectBuilder().add("timestamp", AT.toString())
                .add("request_id", "req_2").add("kind", "reword").add("candidate", "e2").add("cosine", 0.9123)
                .add("guard", "pass").add("score", 1.0).add("basis", "identical").add("agreed", true).build()
                .toString()));
    }

    @Test
    void everyCharacterIsEscapedAsTheBuiltObjectEscapesIt() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            all.append(c);
        }
        all.append("é\u00a0\u2028\u2029\ud83d\ude00\ufeff");
        String text = all.toString();
        ShadowLogEntry e = new ShadowLogEntry(AT, text, text, text, "same", 0, -1.5, text, false);
        assertThat(e.toJson(), is(Json.createObjectBuilder().add("timestamp", AT.toString()).add("request_id", text)
                .add("kind", text).add("candidate", text).add("match", "same").add("edits", 0).add("score", -1.5)
                .add("basis", text).add("pass", false).build().toString()));
    }

    private static void nullable(JsonObjectBuilder b, String name, String value) {
        if (value == null) {
            b.addNull(name);
        } else {
            b.add(name, value);
        }
    }

    private static void optional(JsonObjectBuilder b, String name, long value) {
        if (value < 0) {
            b.addNull(name);
        } else {
            b.add(name, value);
        }
    }

    /** How the line was built before: a JsonObject, printed. */
    private static String built(RequestLogEntry e) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("timestamp", e.timestamp().toString())
                .add("request_id", e.requestId());
        nullable(b, "session_id", e.sessionId());
        nullable(b, "prompt_sha256", e.promptSha256());
        b.add("model", e.model() == null ? "" : e.model()).add("route", e.route()).add("stream", e.stream())
                .add("status", e.status()).add("latency_ms", e.latencyMs());
        optional(b, "upstream_ms", e.upstreamMs());
        optional(b, "input_tokens", e.inputTokens());
        optional(b, "output_tokens", e.outputTokens());
        if (e.reason() != null) {
            b.add("reason", e.reason());
        }
        if (e.match() != null) {
            b.add("match", e.match());
        }
        if (e.wrongRate() >= 0) {
            b.add("wrong_rate", Math.round(e.wrongRate() * 1e6) / 1e6);
        }
        if (e.error() != null) {
            b.add("error", e.error());
        }
        if (e.promptText() != null) {
            b.add("prompt_text", e.promptText());
        }
        return b.build().toString();
    }
}
