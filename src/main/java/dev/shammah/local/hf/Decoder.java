package dev.shammah.local.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * The Llama/Mistral/Qwen2 decoder's forward pass on DJL NDArrays: token embedding, then per block RMSNorm →
 * grouped-query self-attention with rotary embeddings (rotate-half convention, {@code rope_theta}) → residual →
 * RMSNorm → SwiGLU MLP → residual, then a final RMSNorm and the LM head. Keys and values of every position seen
 * are kept in a {@link KvCache}, so each new token costs one position's work, not the whole sequence's.
 * Norms, softmax and logits are computed in float32 whatever the weights' type.
 */
public final class Decoder {
    private final HfConfig config;
    private final DecoderWeights weights;
    private final DataType dtype;
    private final float[] inverseFrequencies;
    private volatile LoraAdapter adapter;

    public Decoder(HfConfig config, DecoderWeights weights, DataType dtype) {
        this.config = config;
        this.weights = weights;
        this.dtype = dtype;
        int half = config.headDim() / 2;
        this.inverseFrequencies = new float[half];
        for (int i = 0; i < half; i++) {
            inverseFrequencies[i] = (float) (1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / config.headDim()));
        }
    }

    public HfConfig config() {
        return config;
    }

    /** An empty cache whose arrays live in {@code manager} (one generation's). */
    public KvCache newCache(NDManager manager) {
        return new KvCache(manager, config.layers());
    }

    /**
     * Runs {@code ids} (positions {@code cache.length()} onwards) through the model, extends the cache, and
     * returns the logits of the last position as float32. Intermediate arrays live in a sub-manager closed here.
     */
    public float[] forward(long[] ids, KvCache cache) {
        LoraAdapter lora = adapter;
        try (NDManager step = cache.manager().newSubManager()) {
            NDArray x = hidden(ids, cache, step, lora);
            NDArray last = x.get(new NDIndex((ids.length - 1) + ":"));
            NDArray logits = rmsNorm(last, weights.finalNorm).matMul(weights.lmHeadT);
            return logits.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    /**
     * Logits of every position of {@code ids} ({@code [T, V]}, float32) from an empty cache, with {@code lora}
     * applied: for training, where the adapter's matrices record gradients. Arrays live in {@code manager}.
     */
    public NDArray logits(long[] ids, LoraAdapter lora, NDManager manager) {
        KvCache cache = newCache(manager);
        NDArray x = hidden(ids, cache, manager, lora);
        return rmsNorm(x, weights.finalNorm).matMul(weights.lmHeadT).toType(DataType.FLOAT32, false);
    }

    /** The adapter applied from now on (null: the base model), swapped atomically between generations' steps. */
    public void adapter(LoraAdapter lora) {
        this.adapter = lora;
    }

    public LoraAdapter adapter() {
        return adapter;
    }

    private NDArray hidden(long[] ids, KvCache cache, NDManager step, LoraAdapter lora) {
        int start = cache.length();
        int t = ids.length;
        NDArray x = weights.embed.get(new NDIndex("{}", step.create(ids)));
        // An array made from another belongs to that one's manager: rows read from the embeddings would belong to
        // the model's, and with them every array this step computes from them, kept until the model closes.
        x.attach(step);
        NDArray[] rope = rope(step, start, t);
        NDArray mask = t > 1 ? causalMask(step, start, t) : null;
        for (int i = 0; i < weights.layers.size(); i++) {
            x = block(weights.layers.get(i), x, i, cache, rope, mask, lora);
        }
        cache.advance(t);
        return x;
    }

    private NDArray block(DecoderWeights.Layer w, NDArray x, int layer, KvCache cache, NDArray[] rope,
                          NDArray mask, LoraAdapter lora) {
        int t = (int) x.getShape().get(0);
        int d = config.headDim();
        NDArray h = rmsNorm(x, w.inputNorm());
        NDArray q = adapted(linear(h, w.qT(), w.qBias()), h, lora, layer, "q_proj")
                .reshape(t, config.heads(), d).transpose(1, 0, 2);
        NDArray k = adapted(linear(h, w.kT(), w.kBias()), h, lora, layer, "k_proj")
                .reshape(t, config.kvHeads(), d).transpose(1, 0, 2);
        NDArray v = adapted(linear(h, w.vT(), w.vBias()), h, lora, layer, "v_proj")
                .reshape(t, config.kvHeads(), d).transpose(1, 0, 2);
        q = applyRope(q, rope);
        k = applyRope(k, rope);
        NDArray[] kv = cache.append(layer, k, v);
        // Grouped-query attention without copying each key/value head once per query head that reads it: query
        // heads h = kv * groups + g become rows of their KV head's batch ([KV, groups * t, D]).
        int kvHeads = config.kvHeads();
        int groups = config.groups();
        long s = kv[0].getShape().get(1);
        NDArray scores = q.reshape(kvHeads, (long) groups * t, d).matMul(kv[0].transpose(0, 2, 1))
                .toType(DataType.FLOAT32, false).mul(1.0 / Math.sqrt(d));
        if (mask != null) {
            scores = scores.reshape(kvHeads, groups, t, s).add(mask).reshape(kvHeads, (long) groups * t, s);
        }
        NDArray attn = scores.softmax(-1).toType(dtype, false).matMul(kv[1]).reshape(config.heads(), t, d);
        NDArray merged = attn.transpose(1, 0, 2).reshape(t, (long) config.heads() * d);
        x = x.add(adapted(merged.matMul(w.oT()), merged, lora, layer, "o_proj"));
        NDArray m = rmsNorm(x, w.postNorm());
        NDArray gate = m.matMul(w.gateT());
        NDArray gated = gate.mul(Activation.sigmoid(gate)).mul(m.matMul(w.upT())); // SiLU(gate) * up
        return x.add(gated.matMul(w.downT()));
    }

    /** {@code y + (x A^T B^T) * alpha / r} where the adapter targets this projection. */
    private NDArray adapted(NDArray y, NDArray x, LoraAdapter lora, int layer, String module) {
        if (lora == null) {
            return y;
        }
        LoraAdapter.Pair p = lora.pair(layer, module);
        if (p == null) {
            return y;
        }
        NDArray delta = x.matMul(p.a().transpose()).matMul(p.b().transpose()).mul(lora.scale());
        return y.add(delta.toType(dtype, false));
    }

    private static NDArray linear(NDArray x, NDArray weightT, NDArray bias) {
        NDArray y = x.matMul(weightT);
        return bias == null ? y : y.add(bias);
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray f = x.toType(DataType.FLOAT32, false);
        NDArray scale = f.pow(2).mean(new int[] {-1}, true).add(config.rmsNormEps()).pow(-0.5);
        return f.mul(scale).toType(dtype, false).mul(weight);
    }

    /** cos and sin for positions start … start+t-1, {@code [t, D]} (each frequency twice, rotate-half layout). */
    private NDArray[] rope(NDManager m, int start, int t) {
        int d = config.headDim();
        int half = d / 2;
        float[] cos = new float[t * d];
        float[] sin = new float[t * d];
        for (int p = 0; p < t; p++) {
            for (int i = 0; i < half; i++) {
                double angle = (double) (start + p) * inverseFrequencies[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[p * d + i] = c;
                cos[p * d + i + half] = c;
                sin[p * d + i] = s;
                sin[p * d + i + half] = s;
            }
        }
        return new NDArray[] {m.create(cos, new Shape(t, d)).toType(dtype, false),
                m.create(sin, new Shape(t, d)).toType(dtype, false)};
    }

    /** {@code x * cos + rotate_half(x) * sin}, where rotate_half(x) = [-x2, x1] over the halves of the head. */
    private NDArray applyRope(NDArray x, NDArray[] rope) {
        int half = config.headDim() / 2;
        NDArray x1 = x.get(new NDIndex("..., :" + half));
        NDArray x2 = x.get(new NDIndex("..., " + half + ":"));
        NDArray rotated = NDArrays.concat(new NDList(x2.neg(), x1), -1);
        return x.mul(rope[0]).add(rotated.mul(rope[1]));
    }

    /** Query i (position start+i) may see keys 0 … start+i: the rest get -1e9 before the softmax. */
    private static NDArray causalMask(NDManager m, int start, int t) {
        int s = start + t;
        float[] mask = new float[t * s];
        for (int i = 0; i < t; i++) {
            for (int j = start + i + 1; j < s; j++) {
                // A large finite negative rather than −∞: the softmax is the same, and nothing in autograd's
                // arithmetic meets ∞.
                mask[i * s + j] = -1e9f;
            }
        }
        return m.create(mask, new Shape(t, s));
    }
}
