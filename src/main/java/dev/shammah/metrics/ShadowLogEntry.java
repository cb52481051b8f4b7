package dev.shammah.metrics;

import java.time.Instant;

/**
 * A comparison of a stored answer with the teacher's, logged after the request it belongs to. Scores and
 * counts only, never text (not even the wrapper words an edit consists of).
 *
 * @param timestamp when the comparison finished
 * @param requestId the request it was made for
 * @param source    {@code shadow} (a forwarded request with a candidate) or {@code verify} (a served local answer)
 * @param candidate the stored exchange compared
 * @param match     {@code same} or {@code wrapped}
 * @param edits     how many kinds of edit separate the two requests (0 for the same request)
 * @param score     the similarity judged on (1 when identical)
 * @param basis     why it passed or failed: identical, validator, agreement, contrast, below
 * @param pass      whether the stored answer counts as the teacher's
 */
public record ShadowLogEntry(Instant timestamp, String requestId, String source, String candidate, String match,
                             int edits, double score, String basis, boolean pass) implements LogLine {
    @Override
    public String toJson() {
        return new JsonLine()
                .add("timestamp", timestamp.toString())
                .add("request_id", requestId)
                .add("kind", source)
                .add("candidate", candidate)
                .add("match", match)
                .add("edits", edits)
                .add("score", Math.round(score * 10000) / 10000.0)
                .add("basis", basis)
                .add("pass", pass)
                .text();
    }
}
