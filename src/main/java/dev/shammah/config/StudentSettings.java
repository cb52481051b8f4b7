package dev.shammah.config;

/**
 * The student: a small causal transformer trained on the teacher's answers.
 *
 * @param enabled         train and serve it (as model {@code shammah-student})
 * @param gpu             train and run on the GPU when one is present ({@code model.device: gpu})
 * @param dim             embedding width
 * @param heads           attention heads
 * @param layers          transformer blocks
 * @param maxLen          context, in bytes
 * @param batchSize       examples per training batch
 * @param stepsPerBatch   optimizer steps per batch
 * @param checkpointEvery examples between checkpoints
 * @param keep            checkpoints kept
 * @param learningRate    Adam learning rate
 */
public record StudentSettings(boolean enabled, boolean gpu, int dim, int heads, int layers, int maxLen, int batchSize,
                              int stepsPerBatch, int checkpointEvery, int keep, double learningRate) {
}
