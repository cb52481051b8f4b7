package dev.shammah.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a tiny Hugging Face model folder (config.json, model.safetensors, tokenizer.json, tokenizer_config.json,
 * generation_config.json) in the Llama or the Qwen2 layout. Weights come from a formula rather than a random
 * generator — {@link #value} — so src/test/resources/hf/reference.py computes the very same weights in numpy and
 * the golden outputs beside it come from an implementation that shares no code with Shammah's.
 */
public final class TinyHfModel {
    public static final int HIDDEN = 16;
    public static final int LAYERS = 2;
    public static final int HEADS = 4;
    public static final int KV_HEADS = 2;
    public static final int HEAD_DIM = 4;
    public static final int INTERMEDIATE = 32;
    public static final int VOCAB = 48;
    /** Ends an answer (generation_config.json's eos_token_id). */
    public static final int EOS = 2;
    /** The words of the WordLevel vocabulary, id = index; 0-2 are special. */
    public static final List<String> WORDS = words();

    public enum Layout {
        /** LlamaForCausalLM: no q/k/v biases, its own lm_head. */
        LLAMA,
        /** Qwen2ForCausalLM: q/k/v biases, lm_head tied to the embeddings. */
        QWEN2
    }

    private TinyHfModel() {
    }

    public static Path write(Path dir, Layout layout) {
        return write(dir, layout, "F32");
    }

    /** Writes the folder; {@code dtype} is the safetensors storage type (F32, F16 or BF16). */
    public static Path write(Path dir, Layout layout, String dtype) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), config(layout));
            Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": " + EOS + "}");
            Files.writeString(dir.resolve("tokenizer.json"), tokenizer());
            Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\", \"eos_token\": "
                    + "{\"content\": \"</s>\"}, \"chat_template\": \"{% for m in messages %}<|im|> {{ m.role }} "
                    + "{{ m.content }} {% endfor %}{% if add_generation_prompt %}<|im|> assistant{% endif %}\"}");
            writeSafetensors(dir.resolve("model.safetensors"), tensors(layout), dtype);
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Element {@code i} of the tensor named {@code name}: a hash of both mapped to [-0.5, 0.5) and scaled. Norm
     * weights sit around 1. Kept to integer arithmetic and one double → float rounding so numpy reproduces it.
     */
    public static float value(String name, long i) {
        long seed = 0;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            seed = (seed * 31 + (b & 0xff)) % 4294967296L;
        }
        long x = (i * 2654435761L + seed * 40503L) % 4294967296L;
        x = (x ^ (x >>> 13)) * 1274126177L % 4294967296L;
        double u = x / 4294967296.0 - 0.5;
        if (name.endsWith("norm.weight")) {
            return (float) (1.0 + 0.2 * u);
        }
        return (float) (u * 0.8);
    }

    /** Tensor names and shapes in the HF layout. */
    public static Map<String, long[]> tensors(Layout layout) {
        Map<String, long[]> t = new LinkedHashMap<>();
        long q = (long) HEADS * HEAD_DIM;
        long kv = (long) KV_HEADS * HEAD_DIM;
        t.put("model.embed_tokens.weight", new long[] {VOCAB, HIDDEN});
        for (int l = 0; l < LAYERS; l++) {
            String p = "model.layers." + l + ".";
            t.put(p + "input_layernorm.weight", new long[] {HIDDEN});
            t.put(p + "self_attn.q_proj.weight", new long[] {q, HIDDEN});
            t.put(p + "self_attn.k_proj.weight", new long[] {kv, HIDDEN});
            t.put(p + "self_attn.v_proj.weight", new long[] {kv, HIDDEN});
            if (layout == Layout.QWEN2) {
                t.put(p + "self_attn.q_proj.bias", new long[] {q});
                t.put(p + "self_attn.k_proj.bias", new long[] {kv});
                t.put(p + "self_attn.v_proj.bias", new long[] {kv});
            }
            t.put(p + "self_attn.o_proj.weight", new long[] {HIDDEN, q});
            t.put(p + "post_attention_layernorm.weight", new long[] {HIDDEN});
            t.put(p + "mlp.gate_proj.weight", new long[] {INTERMEDIATE, HIDDEN});
            t.put(p + "mlp.up_proj.weight", new long[] {INTERMEDIATE, HIDDEN});
            t.put(p + "mlp.down_proj.weight", new long[] {HIDDEN, INTERMEDIATE});
        }
        t.put("model.norm.weight", new long[] {HIDDEN});
        if (layout == Layout.LLAMA) {
            t.put("lm_head.weight", new long[] {VOCAB, HIDDEN});
        }
        return t;
    }

    private static String config(Layout layout) {
        return "{\"architectures\": [\"" + (layout == Layout.LLAMA ? "LlamaForCausalLM" : "Qwen2ForCausalLM")
                + "\"], \"model_type\": \"" + (layout == Layout.LLAMA ? "llama" : "qwen2") + "\", \"hidden_size\": "
                + HIDDEN + ", \"num_hidden_layers\": " + LAYERS + ", \"num_attention_heads\": " + HEADS
                + ", \"num_key_value_heads\": " + KV_HEADS + ", \"intermediate_size\": " + INTERMEDIATE
                + ", \"vocab_size\": " + VOCAB + ", \"rms_norm_eps\": 1e-06, \"rope_theta\": 10000.0, "
                + "\"max_position_embeddings\": 256, \"tie_word_embeddings\": " + (layout == Layout.QWEN2)
                + ", \"eos_token_id\": " + EOS + ", \"torch_dtype\": \"float32\"}";
    }

    private static List<String> words() {
        List<String> w = new ArrayList<>(List.of("<unk>", "<s>", "</s>", "<|im|>", "user", "assistant", "system"));
        String[] more = ("hello world the a is of to and in what how why capital france paris red blue green "
                + "one two three four five six seven eight nine ten cat dog sun moon yes no please tell me about "
                + "it").split(" ");
        for (String m : more) {
            if (w.size() < VOCAB) {
                w.add(m);
            }
        }
        while (w.size() < VOCAB) {
            w.add("w" + w.size());
        }
        return List.copyOf(w);
    }

    private static String tokenizer() {
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < WORDS.size(); i++) {
            vocab.append(i == 0 ? "" : ", ").append('"').append(WORDS.get(i)).append("\": ").append(i);
        }
        StringBuilder added = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            added.append(i == 0 ? "" : ", ").append("{\"id\": ").append(i).append(", \"content\": \"")
                    .append(WORDS.get(i)).append("\", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, "
                    + "\"normalized\": false, \"special\": ").append(i != 3 ? "true" : "false").append('}');
        }
        return "{\"version\": \"1.0\", \"truncation\": null, \"padding\": null, \"added_tokens\": [" + added
                + "], \"normalizer\": null, \"pre_tokenizer\": {\"type\": \"Whitespace\"}, \"post_processor\": null, "
                + "\"decoder\": null, \"model\": {\"type\": \"WordLevel\", \"vocab\": {" + vocab + "}, "
                + "\"unk_token\": \"<unk>\"}}";
    }

    private static void writeSafetensors(Path file, Map<String, long[]> tensors, String dtype) throws IOException {
        int width = dtype.equals("F32") ? 4 : 2;
        StringBuilder header = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, long[]> t : tensors.entrySet()) {
            long n = 1;
            StringBuilder shape = new StringBuilder();
            for (long d : t.getValue()) {
                n *= d;
                shape.append(shape.isEmpty() ? "" : ",").append(d);
            }
            header.append(header.length() == 1 ? "" : ",").append('"').append(t.getKey()).append("\":{\"dtype\":\"")
                    .append(dtype).append("\",\"shape\":[").append(shape).append("],\"data_offsets\":[")
                    .append(offset).append(',').append(offset + n * width).append("]}");
            offset += n * width;
        }
        header.append('}');
        byte[] head = header.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(head.length).array());
            out.write(head);
            for (Map.Entry<String, long[]> t : tensors.entrySet()) {
                long n = 1;
                for (long d : t.getValue()) {
                    n *= d;
                }
                ByteBuffer b = ByteBuffer.allocate((int) n * width).order(ByteOrder.LITTLE_ENDIAN);
                for (long i = 0; i < n; i++) {
                    float v = value(t.getKey(), i);
                    switch (dtype) {
                        case "F32" -> b.putFloat(v);
                        case "F16" -> b.putShort(Float.floatToFloat16(v));
                        default -> b.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
                    }
                }
                out.write(b.array());
            }
        }
    }
}
