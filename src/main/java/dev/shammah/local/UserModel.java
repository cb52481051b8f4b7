package dev.shammah.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;

/**
 * A causal LM the user brings: a TorchScript file ({@code *.pt}, taking token ids {@code [1, T]} and returning
 * logits {@code [1, T, V]}) and the Hugging Face {@code tokenizer.json} it was trained with, from the directory
 * {@code model.path}. Greedy decoding until the end token or {@code maxNewTokens}. Served to clients that ask
 * for model {@code shammah-user}; {@link #reload()} re-reads the directory and swaps atomically.
 */
public final class UserModel implements LocalModel, AutoCloseable {
    public static final String ID = "shammah-user";

    private final Path dir;
    private final String endToken;
    private final int maxNewTokens;
    private final Device device;
    private final HotSwap<Loaded> current = new HotSwap<>(l -> {
        l.model().close();
        l.tokenizer().close();
    });

    /** The loaded model, its tokenizer and the id of the token that ends an answer. */
    private record Loaded(ZooModel<NDList, NDList> model, HuggingFaceTokenizer tokenizer, long endId) {
    }

    public UserModel(Path dir, String endToken, int maxNewTokens, Device device) {
        this.dir = dir;
        this.endToken = endToken;
        this.maxNewTokens = maxNewTokens;
        this.device = device;
        reload();
    }

    @Override
    public String id() {
        return ID;
    }

    public Path directory() {
        return dir;
    }

    /** Loads the directory's model and tokenizer beside the serving ones, then swaps. */
    public synchronized void reload() {
        Path pt = modelFile();
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"),
                    Map.of("addSpecialTokens", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("model.path " + dir + " needs a tokenizer.json", e);
        }
        long[] end = tokenizer.encode(endToken, false, false).getIds();
        if (end.length != 1) {
            tokenizer.close();
            throw new IllegalStateException("The end token '" + endToken + "' (model.end-token) is not one token in "
                    + dir.resolve("tokenizer.json"));
        }
        String name = pt.getFileName().toString();
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(dir).optModelName(name.substring(0, name.length() - 3)).optEngine("PyTorch")
                .optDevice(device).build();
        ZooModel<NDList, NDList> model;
        try {
            model = criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            tokenizer.close();
            throw new IllegalStateException("Cannot load the TorchScript model " + pt + ": " + e.getMessage(), e);
        }
        current.install(new Loaded(model, tokenizer, end[0]));
    }

    private Path modelFile() {
        if (Files.isRegularFile(dir.resolve("model.pt"))) {
            return dir.resolve("model.pt");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".pt")).sorted().findFirst()
                    .orElseThrow(() -> new IllegalStateException("model.path " + dir + " holds no .pt TorchScript file"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read model.path " + dir, e);
        }
    }

    @Override
    public Iterator<String> generate(String prompt, Exchange candidate) {
        HotSwap<Loaded>.Lease lease = current.lease();
        if (lease == null) {
            throw new IllegalStateException("The user model is closed");
        }
        return new Generation(lease, prompt, maxNewTokens);
    }

    /** Streams decoded text as tokens are produced; frees its predictor and its hold on the model at the end. */
    private static final class Generation implements Iterator<String>, AutoCloseable {
        private final HotSwap<Loaded>.Lease lease;
        private final Loaded loaded;
        private final Predictor<NDList, NDList> predictor;
        private final NDManager manager;
        private long[] ids;
        private final int promptLength;
        private final int maxNew;
        private String emitted = "";
        private String next;
        private boolean closed;

        Generation(HotSwap<Loaded>.Lease lease, String prompt, int maxNew) {
            this.lease = lease;
            this.loaded = lease.value();
            this.predictor = loaded.model().newPredictor();
            this.manager = NDManager.newBaseManager(loaded.model().getNDManager().getDevice(), "PyTorch");
            this.ids = loaded.tokenizer().encode(prompt, false, false).getIds();
            this.promptLength = ids.length;
            this.maxNew = maxNew;
        }

        @Override
        public boolean hasNext() {
            while (next == null && !closed) {
                if (ids.length - promptLength >= maxNew || !step()) {
                    close();
                    break;
                }
                String text = loaded.tokenizer().decode(Arrays.copyOfRange(ids, promptLength, ids.length));
                if (text.length() > emitted.length() && text.startsWith(emitted)) {
                    next = text.substring(emitted.length());
                    emitted = text;
                }
            }
            return next != null;
        }

        /** One greedy step; false at the end token. */
        private boolean step() {
            try (NDManager step = manager.newSubManager()) {
                NDArray x = step.create(ids, new Shape(1, ids.length));
                NDArray logits = predictor.predict(new NDList(x)).get(0);
                long token = logits.get(0, ids.length - 1).argMax().toLongArray()[0];
                if (token == loaded.endId()) {
                    return false;
                }
                ids = Arrays.copyOf(ids, ids.length + 1);
                ids[ids.length - 1] = token;
                return true;
            } catch (TranslateException e) {
                throw new IllegalStateException("The user model failed: " + e.getMessage(), e);
            }
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String s = next;
            next = null;
            return s;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                predictor.close();
                manager.close();
                lease.close();
            }
        }
    }

    @Override
    public void close() {
        current.close();
    }
}
