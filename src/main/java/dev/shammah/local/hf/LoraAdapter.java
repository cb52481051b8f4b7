package dev.shammah.local.hf;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shammah.json.Json;
import dev.shammah.persist.AtomicFiles;
import dev.shammah.persist.PrivateFiles;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;

/**
 * Low-rank adapters (LoRA) on the attention projections: {@code W x + (B A x) * alpha / r}, A {@code [r, in]},
 * B {@code [out, r]}, B starting at zero so a fresh adapter changes nothing. Saved in PEFT's layout —
 * {@code adapter_model.safetensors} with {@code base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight} …
 * and {@code adapter_config.json} — so transformers/PEFT load what Shammah trained, and the reverse. Files are
 * written private and fsynced in place; a caller that needs the pair to appear at once writes into a temporary
 * directory and renames it.
 */
public final class LoraAdapter implements AutoCloseable {
    public static final List<String> MODULES = List.of("q_proj", "k_proj", "v_proj", "o_proj");

    /** One projection's pair of matrices. */
    public record Pair(NDArray a, NDArray b) {
    }

    private final int rank;
    private final double alpha;
    private final List<String> targets;
    private final Map<String, Pair> pairs;

    private LoraAdapter(int rank, double alpha, List<String> targets, Map<String, Pair> pairs) {
        this.rank = rank;
        this.alpha = alpha;
        this.targets = List.copyOf(targets);
        this.pairs = pairs;
    }

    /** A fresh adapter: A small and random (Kaiming-uniform bound 1/sqrt(in)), B zero. */
    public static LoraAdapter init(HfConfig c, int rank, double alpha, List<String> targets, NDManager manager,
                                   long seed) {
        for (String t : targets) {
            if (!MODULES.contains(t)) {
                throw new IllegalArgumentException("LoRA target " + t + " is not one of " + MODULES);
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Pair> pairs = new LinkedHashMap<>();
        for (int layer = 0; layer < c.layers(); layer++) {
            for (String m : targets) {
                long[] io = dims(c, m);
                float[] a = new float[(int) (rank * io[0])];
                double bound = 1 / Math.sqrt(io[0]);
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                }
                pairs.put(key(layer, m), new Pair(manager.create(a, new Shape(rank, io[0])),
                        manager.zeros(new Shape(io[1], rank))));
            }
        }
        return new LoraAdapter(rank, alpha, targets, pairs);
    }

    /** {in, out} of a projection. */
    static long[] dims(HfConfig c, String module) {
        long q = (long) c.heads() * c.headDim();
        long kv = (long) c.kvHeads() * c.headDim();
        return switch (module) {
            case "q_proj" -> new long[] {c.hiddenSize(), q};
            case "k_proj", "v_proj" -> new long[] {c.hiddenSize(), kv};
            case "o_proj" -> new long[] {q, c.hiddenSize()};
            default -> throw new IllegalArgumentException(module);
        };
    }

    private static String key(int layer, String module) {
        return layer + "/" + module;
    }

    private static String peftName(int layer, String module, String ab) {
        return "base_model.model.model.layers." + layer + ".self_attn." + module + ".lora_" + ab + ".weight";
    }

    public Pair pair(int layer, String module) {
        return pairs.get(key(layer, module));
    }

    public double scale() {
        return alpha / rank;
    }

    /** Every trainable matrix (A and B of each pair). */
    public List<NDArray> parameters() {
        List<NDArray> out = new ArrayList<>();
        pairs.values().forEach(p -> {
            out.add(p.a());
            out.add(p.b());
        });
        return out;
    }

    public boolean allFinite() {
        for (NDArray p : parameters()) {
            for (float v : p.toFloatArray()) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A copy in {@code manager}, for training beside the serving adapter. */
    public LoraAdapter copy(NDManager manager) {
        Map<String, Pair> out = new LinkedHashMap<>();
        pairs.forEach((k, p) -> out.put(k, new Pair(copyOf(p.a(), manager), copyOf(p.b(), manager))));
        return new LoraAdapter(rank, alpha, targets, out);
    }

    private static NDArray copyOf(NDArray a, NDManager manager) {
        return manager.create(a.toFloatArray(), a.getShape());
    }

    /** Writes adapter_model.safetensors and adapter_config.json into {@code dir}. */
    public void save(Path dir, String baseModel) throws IOException {
        PrivateFiles.createDirectories(dir);
        SafetensorsWriter w = new SafetensorsWriter();
        pairs.forEach((k, p) -> {
            int layer = Integer.parseInt(k.substring(0, k.indexOf('/')));
            String module = k.substring(k.indexOf('/') + 1);
            w.add(peftName(layer, module, "A"), p.a().getShape().getShape(), p.a().toFloatArray());
            w.add(peftName(layer, module, "B"), p.b().getShape().getShape(), p.b().toFloatArray());
        });
        w.write(dir.resolve("adapter_model.safetensors"));
        var modules = Json.createArrayBuilder();
        targets.forEach(modules::add);
        JsonObject config = Json.createObjectBuilder().add("peft_type", "LORA").add("task_type", "CAUSAL_LM")
                .add("r", rank).add("lora_alpha", alpha).add("lora_dropout", 0.0).add("bias", "none")
                .add("target_modules", modules).add("fan_in_fan_out", false)
                .add("base_model_name_or_path", baseModel).build();
        AtomicFiles.writeSynced(dir.resolve("adapter_config.json"), config.toString());
    }

    /** Reads an adapter in PEFT's layout for the model {@code c}. */
    public static LoraAdapter load(Path dir, HfConfig c, NDManager manager) {
        JsonObject config;
        try (JsonReader r = Json.createReader(new StringReader(Files.readString(dir.resolve("adapter_config.json"))))) {
            config = r.readObject();
        } catch (IOException | RuntimeException e) {
            throw new ModelFolderException(dir.resolve("adapter_config.json") + " is not readable (" + e.getMessage()
                    + ")", e);
        }
        int rank = config.getInt("r");
        double alpha = config.getJsonNumber("lora_alpha").doubleValue();
        List<String> targets = config.getJsonArray("target_modules").stream()
                .map(v -> ((JsonString) v).getString()).toList();
        Safetensors st = Safetensors.openFile(dir.resolve("adapter_model.safetensors"));
        Map<String, Pair> pairs = new LinkedHashMap<>();
        for (int layer = 0; layer < c.layers(); layer++) {
            for (String m : targets) {
                long[] io = dims(c, m);
                pairs.put(key(layer, m), new Pair(
                        manager.create(st.floats(peftName(layer, m, "A"), rank, io[0]), new Shape(rank, io[0])),
                        manager.create(st.floats(peftName(layer, m, "B"), io[1], rank), new Shape(io[1], rank))));
            }
        }
        return new LoraAdapter(rank, alpha, targets, pairs);
    }

    @Override
    public void close() {
        parameters().forEach(NDArray::close);
    }
}
