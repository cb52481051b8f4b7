package dev.shammah.local.hf;

import java.util.Arrays;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.shammah.local.ChatRequest;

/**
 * Fine-tuning a {@link LoraAdapter} on the teacher's answers with DJL's autograd: the loss is the mean negative
 * log-likelihood of the answer's tokens (the prompt's are context only) under the base model plus the adapter;
 * only the adapter's matrices receive gradients, updated with Adam. A step whose loss is not finite is skipped
 * (the caller counts it) and changes nothing.
 */
public final class LoraTraining {
    /** A prompt and the answer the model should give, as token ids; the loss covers ids from {@code answerStart}. */
    public record Example(long[] ids, int answerStart) {
    }

    private final HfGenerator model;
    private final float learningRate;
    /** Adam's moments belong to one adapter's training: a new adapter gets a new optimizer. */
    private final java.util.Map<LoraAdapter, Optimizer> optimizers = new java.util.WeakHashMap<>();

    public LoraTraining(HfGenerator model, float learningRate) {
        this.model = model;
        this.learningRate = learningRate;
    }

    /** The example for a request and the teacher's answer (ending with the model's end token), cut to maxTokens. */
    public Example example(ChatRequest request, String answer, int maxTokens) {
        long[] prompt = model.promptIds(request);
        long[] reply = model.encode(answer);
        long eos = model.config().eosIds().isEmpty() ? -1 : model.config().eosIds().getFirst();
        int n = reply.length + (eos >= 0 ? 1 : 0);
        long[] ids = Arrays.copyOf(prompt, prompt.length + n);
        System.arraycopy(reply, 0, ids, prompt.length, reply.length);
        if (eos >= 0) {
            ids[ids.length - 1] = eos;
        }
        if (ids.length > maxTokens) {
            // Keep the end: the answer is what is learned; a prompt cut at its start still conditions it.
            int cut = ids.length - maxTokens;
            ids = Arrays.copyOfRange(ids, cut, ids.length);
            return new Example(ids, Math.max(1, prompt.length - cut));
        }
        return new Example(ids, Math.max(1, prompt.length));
    }

    /** Mean loss of {@code adapter} (null: the base model) on the examples, without gradients. */
    public double loss(List<Example> examples, LoraAdapter adapter) {
        try (NDManager m = model.manager().newSubManager()) {
            return batchLoss(examples, adapter, m).getFloat();
        }
    }

    /**
     * One Adam step on {@code adapter} over the batch. Returns the batch's loss before the step, or NaN when it
     * was not finite and the step was skipped.
     */
    public double step(List<Example> batch, LoraAdapter adapter) {
        List<NDArray> params = adapter.parameters();
        params.forEach(p -> p.setRequiresGradient(true));
        try (NDManager m = model.manager().newSubManager();
             GradientCollector gc = model.manager().getEngine().newGradientCollector()) {
            NDArray loss = batchLoss(batch, adapter, m);
            float value = loss.getFloat();
            if (!Float.isFinite(value)) {
                return Double.NaN;
            }
            gc.backward(loss);
            Optimizer optimizer = optimizers.computeIfAbsent(adapter,
                    a -> Adam.builder().optLearningRateTracker(Tracker.fixed(learningRate)).build());
            for (int i = 0; i < params.size(); i++) {
                NDArray p = params.get(i);
                optimizer.update("lora-" + i, p, p.getGradient());
            }
            return value;
        }
    }

    private NDArray batchLoss(List<Example> batch, LoraAdapter adapter, NDManager m) {
        NDArray total = null;
        int vocab = model.config().vocabSize();
        for (Example e : batch) {
            int n = e.ids().length - e.answerStart();
            NDArray logits = model.decoder().logits(e.ids(), adapter, m);
            // Position t predicts token t+1: the answer's tokens are predicted from answerStart-1 on.
            NDArray predicted = logits.get(new NDIndex((e.answerStart() - 1) + ":" + (e.ids().length - 1)));
            NDArray targets = m.create(Arrays.copyOfRange(e.ids(), e.answerStart(), e.ids().length))
                    .oneHot(vocab, DataType.FLOAT32);
            NDArray nll = predicted.logSoftmax(-1).mul(targets).sum().neg().div(n);
            total = total == null ? nll : total.add(nll);
        }
        return total.div(batch.size());
    }
}
