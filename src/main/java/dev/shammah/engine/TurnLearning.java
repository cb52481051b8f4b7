package dev.shammah.engine;

import java.util.List;

import dev.shammah.upstream.ForwardedHeaders;
import jakarta.json.JsonObject;

/**
 * All the engine asks of learning: a plan before a turn is answered, and word of how it was answered. The learning
 * room ({@code learning.Learning}) implements it; how learning keeps its books — evidence, the memory, grading,
 * rewordings, the user's model's training — never reaches the engine.
 */
public interface TurnLearning {
    /** The route for a turn the caller left to Shammah. */
    Plan plan(String tenant, List<JsonObject> conversation, JsonObject body);

    /**
     * The local answer an entitled caller insisted on ({@code x-shammah-route: local}); with {@code generator} (the
     * user's model is configured) one the model may generate.
     */
    Plan forced(String tenant, List<JsonObject> conversation, JsonObject body, boolean generator);

    /**
     * A turn was answered locally with {@code message}, from the memory or (with {@code byModel}) by the user's
     * model.
     */
    void afterLocal(Plan plan, JsonObject outgoing, ForwardedHeaders headers, String requestId, JsonObject message,
                    boolean byModel);

    /** A forwarded turn was answered whole by the teacher with {@code answer}. */
    void afterForward(Plan plan, JsonObject outgoing, JsonObject answer, String requestId);
}
