package dev.shammah.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.shammah.local.hf.HfGenerator;
import dev.shammah.local.hf.KvCache;
import dev.shammah.local.hf.Sampler;
import dev.shammah.testsupport.TempDirs;

/**
 * The local generator's speed on this machine: a random model with Qwen2.5-0.5B's shapes (hidden 896, 24 layers,
 * 14 heads, 2 KV heads, intermediate 4864, vocab 151,936, tied embeddings, q/k/v biases) written as a real model
 * folder, loaded through {@link HfGenerator} as the daemon loads it, then a 100-token prompt prefilled (time to
 * first token) and tokens decoded one by one with the KV cache (tokens/s, overall and per window of 32 tokens ending at
 * 32, 64, 128 … — a long answer's late tokens against its first). Random weights: speed only, no quality.
 *
 * <pre>scripts/bench-generator [--layers 24] [--prompt-tokens 100] [--new-tokens 32] [--runs 3] [--device cpu|gpu]
 *     [--model-path DIR]   (a real model folder instead of the random one)</pre>
 */
public final class GeneratorBench {
    private GeneratorBench() {
    }

    public static void main(String[] args) throws Exception {
        // Native threads as the daemon sizes them (half the cores); -Dai.djl.pytorch.num_threads=N overrides.
        dev.shammah.local.NativeThreads.pin();
        Map<String, String> o = new LinkedHashMap<>(Map.of("--hidden", "896", "--layers", "24", "--heads", "14",
                "--kv-heads", "2", "--intermediate", "4864", "--vocab", "151936", "--prompt-tokens", "100",
                "--new-tokens", "32", "--runs", "3", "--device", "cpu"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        Path work = null;
        Path model;
        if (o.containsKey("--model-path")) {
            model = Path.of(o.get("--model-path"));
        } else {
            work = Files.createTempDirectory("shammah-generator-bench");
            model = work.resolve("model");
            long t0 = System.nanoTime();
            long bytes = write(model, Integer.parseInt(o.get("--hidden")), Integer.parseInt(o.get("--layers")),
                    Integer.parseInt(o.get("--heads")), Integer.parseInt(o.get("--kv-heads")),
                    Integer.parseInt(o.get("--intermediate")), Integer.parseInt(o.get("--vocab")));
            System.err.printf(Locale.ROOT, "bench: wrote a random model, %.0f MB, in %.1f s%n", bytes / 1e6,
                    (System.nanoTime() - t0) / 1e9);
        }
        Device device = o.get("--device").equals("gpu") ? Device.gpu() : Device.cpu();
        try {
            long t0 = System.nanoTime();
            try (HfGenerator g = new HfGenerator(model, device, 256)) {
                double load = (System.nanoTime() - t0) / 1e9;
                int promptTokens = Integer.parseInt(o.get("--prompt-tokens"));
                int newTokens = Integer.parseInt(o.get("--new-tokens"));
                int runs = Integer.parseInt(o.get("--runs"));
                SplittableRandom random = new SplittableRandom(7);
                List<Double> ttft = new ArrayList<>();
                List<Double> rates = new ArrayList<>();
                // Windows of 32 decoded tokens ending at 32, 64, 128 … (as far as --new-tokens goes): whether a
                // token late in a long answer costs what an early one does.
                List<Integer> ends = new ArrayList<>();
                for (int e = 32; e <= newTokens - 1; e *= 2) {
                    ends.add(e);
                }
                Map<Integer, List<Double>> windows = new LinkedHashMap<>();
                ends.forEach(e -> windows.put(e, new ArrayList<>()));
                for (int r = 0; r < runs + 1; r++) {
                    long[] prompt = new long[promptTokens];
                    for (int i = 0; i < prompt.length; i++) {
                        prompt[i] = 3 + random.nextInt(g.config().vocabSize() - 3);
                    }
                    try (NDManager m = g.manager().newSubManager(); KvCache cache = g.decoder().newCache(m)) {
                        long start = System.nanoTime();
                        float[] logits = g.decoder().forward(prompt, cache);
                        long token = new Sampler(0, 0, 1, 1).next(logits);
                        long first = System.nanoTime();
                        long[] at = new long[newTokens]; // at[i]: when the i-th decoded token was ready
                        at[0] = first;
                        for (int i = 1; i < newTokens; i++) {
                            token = new Sampler(0, 0, 1, 1).next(g.decoder().forward(new long[] {token}, cache));
                            at[i] = System.nanoTime();
                        }
                        long end = System.nanoTime();
                        if (r > 0) { // the first run warms up
                            ttft.add((first - start) / 1e9);
                            rates.add((newTokens - 1) / ((end - first) / 1e9));
                            for (int e : ends) {
                                windows.get(e).add(32 / ((at[e] - at[e - 32]) / 1e9));
                            }
                        }
                    }
                }
                String report = String.format(Locale.ROOT, "generator on %s, %s PyTorch thread(s) (%s, %d layers, "
                        + "hidden %d, vocab %d): "
                        + "load %.1f s; time to first token for a %d-token prompt: median %.2f s (runs: %s); "
                        + "decoding: median %.1f tokens/s (runs: %s)", device,
                        System.getProperty("ai.djl.pytorch.num_threads"), g.config().architecture(),
                        g.config().layers(), g.config().hiddenSize(), g.config().vocabSize(), load, promptTokens,
                        median(ttft), fmt(ttft), median(rates), fmt(rates));
                System.out.println(report);
                if (!ends.isEmpty()) {
                    StringBuilder w = new StringBuilder("tokens/s over 32 decoded tokens ending at token: ");
                    for (int e : ends) {
                        w.append(String.format(Locale.ROOT, "%s%d: %.2f", e == ends.get(0) ? "" : ", ", e,
                                median(windows.get(e))));
                    }
                    int last = ends.get(ends.size() - 1);
                    System.out.println(w.append(String.format(Locale.ROOT, " (at %d: %.1f%% of the rate at 32)", last,
                            100 * median(windows.get(last)) / median(windows.get(32)))));
                }
            }
        } finally {
            TempDirs.delete(work);
        }
    }

    private static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s[s.length / 2];
    }

    private static String fmt(List<Double> v) {
        return String.join(", ", v.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList());
    }

    /** A Qwen2-layout folder with random weights (normal-ish, small) and a WordLevel tokenizer of the vocab size. */
    static long write(Path dir, int hidden, int layers, int heads, int kvHeads, int inter, int vocab)
            throws IOException {
        Files.createDirectories(dir);
        int headDim = hidden / heads;
        Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"Qwen2ForCausalLM\"], \"hidden_size\": "
                + hidden + ", \"num_hidden_layers\": " + layers + ", \"num_attention_heads\": " + heads
                + ", \"num_key_value_heads\": " + kvHeads + ", \"intermediate_size\": " + inter + ", \"vocab_size\": "
                + vocab + ", \"rms_norm_eps\": 1e-06, \"rope_theta\": 1000000.0, \"max_position_embeddings\": 32768, "
                + "\"tie_word_embeddings\": true, \"eos_token_id\": 2}");
        StringBuilder tok = new StringBuilder("{\"version\": \"1.0\", \"added_tokens\": [], \"normalizer\": null, "
                + "\"pre_tokenizer\": {\"type\": \"Whitespace\"}, \"post_processor\": null, \"decoder\": null, "
                + "\"model\": {\"type\": \"WordLevel\", \"unk_token\": \"w0\", \"vocab\": {");
        for (int i = 0; i < vocab; i++) {
            tok.append(i == 0 ? "" : ",").append("\"w").append(i).append("\":").append(i);
        }
        Files.writeString(dir.resolve("tokenizer.json"), tok.append("}}}").toString());
        Map<String, long[]> t = new LinkedHashMap<>();
        long q = (long) heads * headDim;
        long kv = (long) kvHeads * headDim;
        t.put("model.embed_tokens.weight", new long[] {vocab, hidden});
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            t.put(p + "input_layernorm.weight", new long[] {hidden});
            t.put(p + "self_attn.q_proj.weight", new long[] {q, hidden});
            t.put(p + "self_attn.q_proj.bias", new long[] {q});
            t.put(p + "self_attn.k_proj.weight", new long[] {kv, hidden});
            t.put(p + "self_attn.k_proj.bias", new long[] {kv});
            t.put(p + "self_attn.v_proj.weight", new long[] {kv, hidden});
            t.put(p + "self_attn.v_proj.bias", new long[] {kv});
            t.put(p + "self_attn.o_proj.weight", new long[] {hidden, q});
            t.put(p + "post_attention_layernorm.weight", new long[] {hidden});
            t.put(p + "mlp.gate_proj.weight", new long[] {inter, hidden});
            t.put(p + "mlp.up_proj.weight", new long[] {inter, hidden});
            t.put(p + "mlp.down_proj.weight", new long[] {hidden, inter});
        }
        t.put("model.norm.weight", new long[] {hidden});
        // Shards of at most ~1 GB, as Hugging Face writes big models (and as one mapping per tensor reads them).
        Map<String, String> weightMap = new LinkedHashMap<>();
        List<Map<String, long[]>> shards = new ArrayList<>();
        Map<String, long[]> current = new LinkedHashMap<>();
        long size = 0;
        for (Map.Entry<String, long[]> e : t.entrySet()) {
            long n = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b) * 4;
            if (size + n > 1_000_000_000L && !current.isEmpty()) {
                shards.add(current);
                current = new LinkedHashMap<>();
                size = 0;
            }
            current.put(e.getKey(), e.getValue());
            size += n;
        }
        shards.add(current);
        long total = 0;
        SplittableRandom random = new SplittableRandom(1);
        for (int s = 0; s < shards.size(); s++) {
            String name = String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", s + 1, shards.size());
            for (String k : shards.get(s).keySet()) {
                weightMap.put(k, name);
            }
            total += shard(dir.resolve(name), shards.get(s), random);
        }
        StringBuilder index = new StringBuilder("{\"metadata\": {\"total_size\": " + total + "}, \"weight_map\": {");
        int i = 0;
        for (Map.Entry<String, String> e : weightMap.entrySet()) {
            index.append(i++ == 0 ? "" : ",").append('"').append(e.getKey()).append("\":\"").append(e.getValue())
                    .append('"');
        }
        Files.writeString(dir.resolve("model.safetensors.index.json"), index.append("}}").toString());
        return total;
    }

    private static long shard(Path file, Map<String, long[]> tensors, SplittableRandom random) throws IOException {
        StringBuilder header = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, long[]> e : tensors.entrySet()) {
            long n = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            header.append(header.length() == 1 ? "" : ",").append('"').append(e.getKey())
                    .append("\":{\"dtype\":\"F32\",\"shape\":").append(Arrays.toString(e.getValue()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + n * 4).append("]}");
            offset += n * 4;
        }
        byte[] head = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(head.length).array());
            out.write(head);
            ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (Map.Entry<String, long[]> e : tensors.entrySet()) {
                long n = Arrays.stream(e.getValue()).reduce(1, (a, c) -> a * c);
                boolean norm = e.getKey().endsWith("norm.weight");
                for (long i = 0; i < n; i++) {
                    if (!b.hasRemaining()) {
                        out.write(b.array(), 0, b.position());
                        b.clear();
                    }
                    b.putFloat(norm ? 1f : (float) ((random.nextDouble() - 0.5) * 0.06));
                }
            }
            out.write(b.array(), 0, b.position());
        }
        return offset;
    }
}
