package dev.shammah.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How Shammah learns from the teacher and when it answers locally (docs/LEARNING.md explains each).
 *
 * @param enabled            learn and answer locally at all
 * @param maxWrongRate       the highest estimated chance of a wrong local answer the router accepts
 * @param verifyRate         share of local answers also asked of the teacher (off the request's path) and checked
 * @param verifyPerMinute    most of those per tenant per minute ({@code learning.verify-per-minute}): beyond it a
 *                           drawn answer is not verified (Shammah's own calls against the tenant's teacher account)
 * @param shadowRate         share of forwarded requests with a candidate whose local answer is scored in shadow
 * @param courtesyPhrases    phrases, besides the built-in ones, that may wrap a request without changing it
 * @param tenantOf           key id → tenant name, for keys configured in a named group (learning.tenants)
 * @param queueSize          learning work waiting at most (more is dropped and counted, never a request)
 * @param commitInterval     longest a learned exchange waits to be committed to disk (what a kill -9 may lose)
 * @param validatorPassScore validator score at which a local answer counts as good
 * @param safetyKeywords     substrings that force forwarding
 * @param safetyExamples     example requests; anything this close (embedding cosine) forwards
 * @param safetyThreshold    cosine to a safety example that forwards
 * @param permits            local model permits (Semaphore size; 1 for a GPU)
 * @param maxWait            longest wait for a permit before forwarding instead
 * @param inputPrice         teacher price, dollars per million input tokens (for "dollars saved")
 * @param outputPrice        teacher price, dollars per million output tokens
 * @param storeText          whether the request log may hold prompt text (never by default)
 * @param gpu                run the user's model on a GPU when DJL finds one ({@code model.device: gpu|auto})
 * @param userModelPath      directory of a TorchScript causal LM + tokenizer.json to serve, or null
 * @param userModelEndToken  the token that ends the user model's answers
 * @param userModelMaxTokens most tokens the user model generates per answer
 * @param generatorShadowRate share of forwarded answers the user's Hugging Face model also answers, off the
 *                           request's path, as evidence for routing to it ({@code model.shadow-rate})
 * @param lora               fine-tuning that model on the teacher's answers ({@code model.lora.*})
 * @param observeRewordings  observe in shadow what serving the nearest stored prompt by meaning would have done
 *                           after a forward ({@code learning.observe-rewordings}; changes no route)
 * @param serveRewordings    answer a request in other words from a stored exchange where that evidence trusts it
 *                           ({@code learning.serve-rewordings}; needs observe-rewordings, which gathers the evidence)
 */
public record LearningSettings(boolean enabled, double maxWrongRate, double verifyRate, int verifyPerMinute,
                               double shadowRate,
                               List<String> courtesyPhrases, Map<String, String> tenantOf, int queueSize,
                               Duration commitInterval,
                               double validatorPassScore, List<String> safetyKeywords,
                               List<String> safetyExamples, double safetyThreshold, int permits, Duration maxWait,
                               double inputPrice, double outputPrice, boolean storeText, boolean gpu,
                               Path userModelPath, String userModelEndToken, int userModelMaxTokens,
                               double generatorShadowRate, LoraSettings lora, boolean observeRewordings,
                               boolean serveRewordings) {
    public LearningSettings {
        courtesyPhrases = List.copyOf(courtesyPhrases);
        tenantOf = Map.copyOf(tenantOf);
        safetyKeywords = List.copyOf(safetyKeywords);
        safetyExamples = List.copyOf(safetyExamples);
    }
}
