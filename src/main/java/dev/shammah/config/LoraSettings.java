package dev.shammah.config;

import java.util.List;

/**
 * Fine-tuning the user's Hugging Face model on the teacher's answers ({@code model.lora.*}).
 *
 * @param enabled       train adapters in the background (off by default: on a small CPU machine a training step
 *                      of a real model takes the cores requests need)
 * @param rank          r of each adapter
 * @param alpha         lora_alpha (the update is scaled by alpha / r)
 * @param targets       projections adapted: q_proj, k_proj, v_proj, o_proj
 * @param batchSize     teacher answers per training batch
 * @param stepsPerBatch Adam steps per batch
 * @param learningRate  Adam's learning rate
 * @param maxTokens     most tokens of one example (prompt and answer)
 * @param keep          adapter checkpoints kept
 */
public record LoraSettings(boolean enabled, int rank, double alpha, List<String> targets, int batchSize,
                           int stepsPerBatch, double learningRate, int maxTokens, int keep) {
    public LoraSettings {
        targets = List.copyOf(targets);
    }

}
