package dev.shammah.local.hf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.shammah.local.ChatRequest;
import dev.shammah.local.Exchange;
import dev.shammah.local.GenerationOutcome;
import dev.shammah.local.LocalModel;

/**
 * The user's own Hugging Face causal LM ({@code model.path}: config.json, model.safetensors or shards,
 * tokenizer.json, tokenizer_config.json, generation_config.json), served as {@code shammah-local}: the chat
 * template renders the conversation, the HF tokenizer (DJL's binding of the Rust library) encodes it, the
 * {@link Decoder} runs it with a KV cache, the {@link Sampler} picks each token, and text streams out token by
 * token until EOS, {@code max_tokens} or a stop sequence. float32 on the CPU; float16 on a GPU.
 *
 * <p>Not thread-safe per generation; callers run each generation on one model thread behind the model gate.
 */
public final class HfGenerator implements LocalModel, AutoCloseable {
    public static final String ID = "shammah-local";

    private final Path dir;
    private final HfConfig config;
    private final NDManager manager;
    private final Decoder decoder;
    private final HuggingFaceTokenizer tokenizer;
    private final ChatTemplate template;
    private final int defaultMaxTokens;
    /**
     * Steps hold the read side, {@link #close()} the write side: the weights are freed only once no step is
     * running, and a step after that fails cleanly instead of reading freed memory.
     */
    private final ReentrantReadWriteLock open =
            new ReentrantReadWriteLock();
    private boolean closed;

    public HfGenerator(Path dir, Device device, int defaultMaxTokens) {
        this.dir = dir;
        this.config = HfConfig.read(dir);
        this.template = ChatTemplate.read(dir);
        Path tokenizerFile = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new ModelFolderException("model.path " + dir + " has no tokenizer.json");
        }
        Safetensors weights = Safetensors.open(dir);
        DataType dtype = device.isGpu() ? DataType.FLOAT16 : DataType.FLOAT32;
        this.manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            this.decoder = new Decoder(config, DecoderWeights.load(weights, config, manager, dtype), dtype);
            // The chat template writes the special tokens itself; nothing is cut or padded (the decoder refuses
            // positions past max_position_embeddings instead).
            this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerFile, Map.of("addSpecialTokens", "false",
                    "truncation", "false", "padding", "false", "maxLength", Integer.toString(config.maxPositions())));
        } catch (IOException | RuntimeException e) {
            manager.close();
            if (e instanceof ModelFolderException m) {
                throw m;
            }
            throw new ModelFolderException("Cannot load the model in " + dir + " (" + e.getMessage() + ")", e);
        }
        this.defaultMaxTokens = defaultMaxTokens;
    }

    @Override
    public String id() {
        return ID;
    }

    public Path directory() {
        return dir;
    }

    public HfConfig config() {
        return config;
    }

    public Decoder decoder() {
        return decoder;
    }

    public NDManager manager() {
        return manager;
    }

    /** The prompt's token ids: the chat template's rendering, encoded. */
    public long[] promptIds(ChatRequest request) {
        return tokenizer.encode(template.render(request), false, false).getIds();
    }

    /** A text's token ids, with no special tokens added. */
    public long[] encode(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    @Override
    public Iterator<String> generate(String prompt, Exchange candidate) {
        return generate(new ChatRequest(null, List.of(new ChatRequest.Turn("user", prompt)), defaultMaxTokens, 0,
                0, 1, List.of()));
    }

    /** Starts a generation; it prefills on the first {@code hasNext}, on the caller's (model) thread. */
    public Generation generate(ChatRequest request) {
        return new Generation(request, promptIds(request));
    }

    /** Text pieces, one per generated token (possibly empty while a character or a stop sequence is incomplete). */
    public final class Generation implements Iterator<String>, GenerationOutcome, AutoCloseable {
        private final ChatRequest request;
        private final long[] prompt;
        private final NDManager own;
        private final KvCache cache;
        private final Sampler sampler;
        private final StopText stop;
        private final IncrementalText generated = new IncrementalText(ids -> tokenizer.decode(ids, true));
        private String next;
        private String stopReason;
        private boolean closed;

        Generation(ChatRequest request, long[] prompt) {
            this.request = request;
            this.prompt = prompt;
            this.own = manager.newSubManager();
            this.cache = decoder.newCache(own);
            this.sampler = new Sampler(request.temperature(), request.topK(), request.topP(),
                    ThreadLocalRandom.current().nextLong());
            this.stop = new StopText(request.stopSequences());
        }

        @Override
        public boolean hasNext() {
            if (next == null && stopReason == null && !closed) {
                next = step();
            }
            return next != null;
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

        /** One token: its text (what may be shown of it), or null when the answer ended without one. */
        private String step() {
            if (generated.size() >= request.maxTokens()) {
                stopReason = "max_tokens";
                close();
                return null;
            }
            if (cache.length() + 1 > config.maxPositions()) {
                stopReason = "max_tokens";
                close();
                return null;
            }
            long[] input = generated.size() == 0 ? prompt : new long[] {generated.last()};
            float[] logits;
            open.readLock().lock();
            try {
                if (HfGenerator.this.closed) {
                    throw new IllegalStateException("The local model was closed");
                }
                logits = decoder.forward(input, cache);
            } finally {
                open.readLock().unlock();
            }
            int token = sampler.next(logits);
            if (config.eosIds().contains((long) token)) {
                stopReason = "end_turn";
                String rest = stop.flush();
                close();
                return rest.isEmpty() ? null : rest;
            }
            String shown = stop.add(generated.add(token));
            if (stop.matched() != null) {
                stopReason = "stop_sequence";
                close();
            } else if (generated.size() >= request.maxTokens()) {
                stopReason = "max_tokens";
                shown += stop.flush();
                close();
            }
            return shown;
        }

        @Override
        public String stopReason() {
            return stopReason;
        }

        @Override
        public String stopSequence() {
            return stop.matched();
        }

        @Override
        public long inputTokens() {
            return prompt.length;
        }

        /** Tokens generated so far. */
        public long[] tokens() {
            return generated.tokens();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                cache.close();
                own.close();
            }
        }
    }

    @Override
    public void close() {
        open.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            tokenizer.close();
            manager.close();
        } finally {
            open.writeLock().unlock();
        }
    }
}
