package dev.shammah.local.hf;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.shammah.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/**
 * The parts of a Hugging Face {@code config.json} the decoder needs. Llama, Mistral and Qwen2 share one block
 * (RMSNorm, rotary embeddings in the rotate-half convention, grouped-query attention, SwiGLU); Qwen2 adds biases on
 * the q/k/v projections (Llama's {@code attention_bias} says the same).
 *
 * @param eosIds token ids that end an answer ({@code eos_token_id}, a number or a list; generation_config.json's
 *               wins when present)
 */
public record HfConfig(String architecture, int hiddenSize, int layers, int heads, int kvHeads, int headDim,
                       int intermediateSize, int vocabSize, double rmsNormEps, double ropeTheta,
                       boolean tieWordEmbeddings, boolean qkvBias, List<Long> eosIds, int maxPositions) {
    public static final Set<String> ARCHITECTURES = Set.of("LlamaForCausalLM", "MistralForCausalLM",
            "Qwen2ForCausalLM");

    public static HfConfig read(Path dir) {
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelFolderException("model.path " + dir + " has no config.json (a Hugging Face model folder "
                    + "holds config.json, model.safetensors, tokenizer.json and tokenizer_config.json)");
        }
        JsonObject json = parse(file);
        JsonArray archs = json.getJsonArray("architectures");
        String arch = archs == null || archs.isEmpty() ? json.getString("model_type", "?") : archs.getString(0);
        if (!ARCHITECTURES.contains(arch)) {
            throw new ModelFolderException(file + ": architecture " + arch + " is not supported (Shammah runs "
                    + String.join(", ", ARCHITECTURES.stream().sorted().toList()) + ")");
        }
        if (json.containsKey("rope_scaling") && !json.isNull("rope_scaling")) {
            throw new ModelFolderException(file + ": rope_scaling is not supported (only plain rotary embeddings "
                    + "with rope_theta)");
        }
        int hidden = required(json, file, "hidden_size");
        int heads = required(json, file, "num_attention_heads");
        int kvHeads = json.containsKey("num_key_value_heads") ? required(json, file, "num_key_value_heads") : heads;
        int headDim = json.containsKey("head_dim") && !json.isNull("head_dim") ? required(json, file, "head_dim")
                : hidden / heads;
        if (heads % kvHeads != 0) {
            throw new ModelFolderException(file + ": num_attention_heads " + heads + " is not a multiple of "
                    + "num_key_value_heads " + kvHeads);
        }
        if (headDim % 2 != 0) {
            throw new ModelFolderException(file + ": the head size " + headDim + " must be even for rotary embeddings");
        }
        boolean bias = arch.equals("Qwen2ForCausalLM") || json.getBoolean("attention_bias", false);
        List<Long> eos = ids(json.get("eos_token_id"));
        Path generation = dir.resolve("generation_config.json");
        if (Files.isRegularFile(generation)) {
            List<Long> fromGeneration = ids(parse(generation).get("eos_token_id"));
            if (!fromGeneration.isEmpty()) {
                eos = fromGeneration;
            }
        }
        return new HfConfig(arch, hidden, required(json, file, "num_hidden_layers"), heads, kvHeads, headDim,
                required(json, file, "intermediate_size"), required(json, file, "vocab_size"),
                number(json, "rms_norm_eps", 1e-6), number(json, "rope_theta", 10000.0),
                json.getBoolean("tie_word_embeddings", false), bias, List.copyOf(eos),
                json.containsKey("max_position_embeddings") ? required(json, file, "max_position_embeddings") : 4096);
    }

    /** Query heads that share one key/value head. */
    public int groups() {
        return heads / kvHeads;
    }

    private static JsonObject parse(Path file) {
        try (JsonReader r = Json.createReader(new StringReader(Files.readString(file)))) {
            return r.readObject();
        } catch (IOException | RuntimeException e) {
            throw new ModelFolderException(file + " is not readable JSON (" + e.getMessage() + ")", e);
        }
    }

    private static int required(JsonObject json, Path file, String key) {
        if (!(json.get(key) instanceof JsonNumber n) || n.intValue() <= 0) {
            throw new ModelFolderException(file + ": " + key + " is missing or not a positive number");
        }
        return n.intValue();
    }

    private static double number(JsonObject json, String key, double fallback) {
        return json.get(key) instanceof JsonNumber n ? n.doubleValue() : fallback;
    }

    private static List<Long> ids(JsonValue v) {
        List<Long> out = new ArrayList<>();
        if (v instanceof JsonNumber n) {
            out.add(n.longValue());
        } else if (v instanceof JsonArray a) {
            for (JsonValue x : a) {
                if (x instanceof JsonNumber n) {
                    out.add(n.longValue());
                }
            }
        }
        return out;
    }
}
