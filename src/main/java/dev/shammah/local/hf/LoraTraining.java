package dev.shammah.local.hf;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.shammah.local.ChatRequest;

/**
 * Fine-tuning a {@link LoraAdapter} on the teacher's answers with DJL's autograd: the loss is the mean negative
 * log-likelihood of the answer's tokens (the prompt's are context only) under the base model plus the adapter;
 * only the adapter's matrices receive gradients, updated with Adam. A step whose loss or gradient is not finite
 * is skipped (the caller counts it) and changes nothing.
 */
public final class LoraTraining {
    /** A prompt and the answer the model should give, as token ids; the loss covers ids from {@code answerStart}. */
    public record Example(long[] ids, int answerStart) {
    }

    private final HfGenerator model;
    private final float learningRate;
    /** The last step's gradients, for tests that check each step's are its own. */
    float[][] lastGradients;
    /** Adam's moments belong to one adapter's training: a new adapter gets new ones. */
    private final Map<LoraAdapter, AdamState> optimizers = new WeakHashMap<>();

    /**
     * Adam over the adapter's matrices, kept in Java arrays: the adapters are small (well under a million values
     * for a 0.5B model at rank 8), and updating copies — rather than in-place native updates of tensors that
     * autograd tracks — keeps the step free of autograd's bookkeeping.
     */
    private static final class AdamState {
        static final double BETA1 = 0.9;
        static final double BETA2 = 0.999;
        static final double EPSILON = 1e-8;
        final float[][] m;
        final float[][] v;
        int t;

        AdamState(List<NDArray> params) {
            m = new float[params.size()][];
            v = new float[params.size()][];
            for (int i = 0; i < params.size(); i++) {
                int n = (int) params.get(i).size();
                m[i] = new float[n];
                v[i] = new float[n];
            }
        }
    }

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
        float[][] grads = new float[params.size()][];
        float value;
        try (NDManager m = model.manager().newSubManager();
             GradientCollector gc = model.manager().getEngine().newGradientCollector();
             Tracked tracked = new Tracked(params)) {
            NDArray loss = batchLoss(batch, adapter, m);
            value = loss.getFloat();
            if (!Float.isFinite(value)) {
                return Double.NaN;
            }
            gc.backward(loss);
            for (int i = 0; i < params.size(); i++) {
                NDArray g = params.get(i).getGradient();
                grads[i] = g.toFloatArray();
                // PyTorch adds each backward pass to the gradient already there; without this every step would
                // apply the sum of all earlier gradients (seen: it grew step after step, and training diverged).
                g.set(new float[grads[i].length]); // not muli(0): NaN * 0 stays NaN
            }
        }
        lastGradients = grads;
        for (float[] g : grads) {
            for (float x : g) {
                if (!Float.isFinite(x)) {
                    return Double.NaN; // a gradient that overflowed: the step would only poison the adapter
                }
            }
        }
        AdamState state = optimizers.computeIfAbsent(adapter, a -> new AdamState(params));
        state.t++;
        double correction1 = 1 - Math.pow(AdamState.BETA1, state.t);
        double correction2 = 1 - Math.pow(AdamState.BETA2, state.t);
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            float[] w = p.toFloatArray();
            float[] g = grads[i];
            float[] m1 = state.m[i];
            float[] v1 = state.v[i];
            for (int j = 0; j < w.length; j++) {
                m1[j] = (float) (AdamState.BETA1 * m1[j] + (1 - AdamState.BETA1) * g[j]);
                v1[j] = (float) (AdamState.BETA2 * v1[j] + (1 - AdamState.BETA2) * g[j] * g[j]);
                double mHat = m1[j] / correction1;
                double vHat = v1[j] / correction2;
                w[j] -= (float) (learningRate * mHat / (Math.sqrt(vHat) + AdamState.EPSILON));
            }
            p.set(w);
        }
        return value;
    }

    /** Parameters tracked by autograd for one step, and no longer after it however it ends. */
    private record Tracked(List<NDArray> params) implements AutoCloseable {
        Tracked {
            params.forEach(p -> p.setRequiresGradient(true));
        }

        @Override
        public void close() {
            params.forEach(p -> p.setRequiresGradient(false));
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
