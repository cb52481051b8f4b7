package dev.shammah.metrics;

import java.time.Instant;

/**
 * What serving a rewording would have done, logged after the forwarded request it was observed on. Scores only,
 * never text.
 *
 * @param timestamp when the comparison finished
 * @param requestId the forwarded request
 * @param candidate the stored exchange whose prompt was nearest by meaning
 * @param cosine    how near
 * @param guard     {@code pass}, or the rule the guard refused the pair by
 * @param score     the similarity of the two answers judged on (1 when identical)
 * @param basis     why they agreed or not: identical, agreement, contrast, below
 * @param agreed    whether the stored answer counts as the teacher's answer to the new words
 */
public record RewordLogEntry(Instant timestamp, String requestId, String candidate, double cosine, String guard,
                             double score, String basis, boolean agreed) implements LogLine {
    @Override
    public String toJson() {
        return new JsonLine()
                .add("timestamp", timestamp.toString())
                .add("request_id", requestId)
                .add("kind", "reword")
                .add("candidate", candidate)
                .add("cosine", Math.round(cosine * 10000) / 10000.0)
                .add("guard", guard)
                .add("score", Math.round(score * 10000) / 10000.0)
                .add("basis", basis)
                .add("agreed", agreed)
                .text();
    }
}
