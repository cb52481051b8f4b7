package dev.shammah.local.hf;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The decoder's weights as NDArrays on the model's device, projections stored transposed ({@code [in, out]}) so a
 * forward pass multiplies without transposing. Names and shapes follow the Hugging Face layout shared by Llama,
 * Mistral and Qwen2 ({@code model.layers.N.self_attn.q_proj.weight} …); every shape is checked against
 * config.json before anything is used.
 */
public final class DecoderWeights {
    /** One decoder block. Biases are null where the architecture has none. */
    public record Layer(NDArray inputNorm, NDArray qT, NDArray qBias, NDArray kT, NDArray kBias, NDArray vT,
                        NDArray vBias, NDArray oT, NDArray postNorm, NDArray gateT, NDArray upT, NDArray downT) {
    }

    final NDArray embed;
    final List<Layer> layers;
    final NDArray finalNorm;
    final NDArray lmHeadT;

    private DecoderWeights(NDArray embed, List<Layer> layers, NDArray finalNorm, NDArray lmHeadT) {
        this.embed = embed;
        this.layers = layers;
        this.finalNorm = finalNorm;
        this.lmHeadT = lmHeadT;
    }

    /** Reads every tensor into {@code manager} (its device), in {@code dtype}. */
    public static DecoderWeights load(Safetensors st, HfConfig c, NDManager manager, DataType dtype) {
        long h = c.hiddenSize();
        long q = (long) c.heads() * c.headDim();
        long kv = (long) c.kvHeads() * c.headDim();
        long inter = c.intermediateSize();
        long v = c.vocabSize();
        Loader l = new Loader(st, manager, dtype);
        NDArray embed = l.plain("model.embed_tokens.weight", v, h);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            String p = "model.layers." + i + ".";
            layers.add(new Layer(
                    l.plain(p + "input_layernorm.weight", h),
                    l.transposed(p + "self_attn.q_proj.weight", q, h),
                    c.qkvBias() ? l.plain(p + "self_attn.q_proj.bias", q) : null,
                    l.transposed(p + "self_attn.k_proj.weight", kv, h),
                    c.qkvBias() ? l.plain(p + "self_attn.k_proj.bias", kv) : null,
                    l.transposed(p + "self_attn.v_proj.weight", kv, h),
                    c.qkvBias() ? l.plain(p + "self_attn.v_proj.bias", kv) : null,
                    l.transposed(p + "self_attn.o_proj.weight", h, q),
                    l.plain(p + "post_attention_layernorm.weight", h),
                    l.transposed(p + "mlp.gate_proj.weight", inter, h),
                    l.transposed(p + "mlp.up_proj.weight", inter, h),
                    l.transposed(p + "mlp.down_proj.weight", h, inter)));
        }
        NDArray norm = l.plain("model.norm.weight", h);
        NDArray head;
        if (c.tieWordEmbeddings() || !st.has("lm_head.weight")) {
            if (!c.tieWordEmbeddings()) {
                throw new ModelFolderException("The model's safetensors have no lm_head.weight and config.json does "
                        + "not set tie_word_embeddings");
            }
            head = embed.transpose();
        } else {
            head = l.transposed("lm_head.weight", v, h);
        }
        return new DecoderWeights(embed, List.copyOf(layers), norm, head);
    }

    private record Loader(Safetensors st, NDManager manager, DataType dtype) {
        NDArray plain(String name, long... shape) {
            return as(manager.create(st.floats(name, shape), new Shape(shape)));
        }

        /** A linear layer's {@code [out, in]} weight, stored as {@code [in, out]} (contiguous). */
        NDArray transposed(String name, long out, long in) {
            NDArray w = manager.create(st.floats(name, out, in), new Shape(out, in));
            NDArray t = w.transpose().duplicate();
            w.close();
            return as(t);
        }

        /** In the model's type; a float32 copy made on the way is freed, not kept beside the weights. */
        private NDArray as(NDArray a) {
            if (dtype == DataType.FLOAT32) {
                return a;
            }
            NDArray converted = a.toType(dtype, false);
            a.close();
            return converted;
        }
    }
}
