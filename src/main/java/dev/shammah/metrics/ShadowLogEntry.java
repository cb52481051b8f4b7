package dev.shammah.metrics;

import java.time.Instant;

import dev.shammah.json.Json;

/**
 * A shadow comparison, logged after the request it belongs to: what a local answer would have scored against
 * the teacher's real one. Scores only, never text.
 *
 * @param timestamp  when the comparison finished
 * @param requestId  the forwarded request
 * @param candidate  the stored exchange the local answer would have replayed
 * @param matchScore how equivalent the request was to it
 * @param cosine     embedding cosine of the two answers
 * @param rougeL     ROUGE-L F1 of the two answers
 * @param score      validator score
 * @param pass       whether it passed
 * @param reason     why the request was forwarded ({@code learning} or {@code explore})
 */
public record ShadowLogEntry(Instant timestamp, String requestId, String candidate, double matchScore, double cosine,
                             double rougeL, double score, boolean pass, String reason) implements LogLine {
    @Override
    public String toJson() {
        return Json.createObjectBuilder()
                .add("timestamp", timestamp.toString())
                .add("request_id", requestId)
                .add("kind", "shadow")
                .add("candidate", candidate)
                .add("reason", reason)
                .add("match_score", round(matchScore))
                .add("validator_cosine", round(cosine))
                .add("validator_rouge_l", round(rougeL))
                .add("validator_score", round(score))
                .add("pass", pass)
                .build().toString();
    }

    private static double round(double d) {
        return Math.round(d * 10000) / 10000.0;
    }
}
