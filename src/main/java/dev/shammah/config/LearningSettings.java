package dev.shammah.config;

import java.time.Duration;
import java.util.List;

/**
 * How Shammah learns from the teacher and when it answers locally (docs/LEARNING.md explains each).
 *
 * @param enabled            learn and answer locally at all
 * @param targetQuality      the validator pass rate local answers must be expected to reach
 * @param minMatchScore      below this match score a stored exchange is not a candidate
 * @param minEvidence        comparisons a score band needs before it can go local
 * @param exploreRate        share of confident requests still sent to the teacher, to keep checking
 * @param shadowRate         share of forwarded requests with a candidate whose local answer is scored in shadow
 * @param validatorPassScore validator score at which a local answer counts as good
 * @param safetyKeywords     substrings that force forwarding
 * @param safetyExamples     example requests; anything this close (embedding cosine) forwards
 * @param safetyThreshold    cosine to a safety example that forwards
 * @param permits            local model permits (Semaphore size; 1 for a GPU)
 * @param maxWait            longest wait for a permit before forwarding instead
 * @param inputPrice         teacher price, dollars per million input tokens (for "dollars saved")
 * @param outputPrice        teacher price, dollars per million output tokens
 * @param storeText          whether the request log may hold prompt text (never by default)
 * @param student            the trained student model (DJL, PyTorch engine)
 * @param userModelPath      directory of a TorchScript causal LM + tokenizer.json to serve, or null
 * @param userModelEndToken  the token that ends the user model's answers
 * @param userModelMaxTokens most tokens the user model generates per answer
 */
public record LearningSettings(boolean enabled, double targetQuality, double minMatchScore, int minEvidence,
                               double exploreRate, double shadowRate, double validatorPassScore, List<String> safetyKeywords,
                               List<String> safetyExamples, double safetyThreshold, int permits, Duration maxWait,
                               double inputPrice, double outputPrice, boolean storeText, StudentSettings student,
                               java.nio.file.Path userModelPath, String userModelEndToken, int userModelMaxTokens) {
    public LearningSettings {
        safetyKeywords = List.copyOf(safetyKeywords);
        safetyExamples = List.copyOf(safetyExamples);
    }
}
