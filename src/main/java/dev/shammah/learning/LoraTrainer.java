package dev.shammah.learning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import ai.djl.ndarray.NDManager;
import dev.shammah.config.LoraSettings;
import dev.shammah.engine.ModelRunner;
import dev.shammah.local.ChatRequest;
import dev.shammah.local.hf.HfGenerator;
import dev.shammah.local.hf.LoraAdapter;
import dev.shammah.local.hf.LoraTraining;

/**
 * Fine-tunes the user's model on the teacher's answers, in the background: answers offered after forwarding wait
 * in a bounded queue (overflow dropped and counted); every fifth is held back for evaluation (the newest 16); each
 * full batch trains a copy of the serving adapter for {@code steps-per-batch} Adam steps behind a model permit, and
 * the copy is promoted only if its loss on the held-back answers is no worse and every weight is finite. A
 * promoted adapter is written to {@code data-dir/lora/adapter-NNNNNN} in PEFT's layout, named in
 * {@code data-dir/lora/PROMOTED}, the newest {@code keep} kept, and swapped into the decoder between two tokens
 * (loaded again at start). The router's evidence for the model is per adapter: a new adapter starts with none.
 */
public final class LoraTrainer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LoraTrainer.class.getName());
    private static final int HELD_BACK = 16;

    private final LoraSettings settings;
    private final HfGenerator model;
    private final ModelRunner runner;
    private final AdapterStore store;
    private final LoraTraining training;
    private final BlockingQueue<ChatRequestAndAnswer> queue = new ArrayBlockingQueue<>(256);
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<LoraTraining.Example> heldBack = new ArrayDeque<>();
    private final List<LoraTraining.Example> pending = new ArrayList<>();
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong steps = new AtomicLong();
    private final AtomicLong nonFinite = new AtomicLong();
    private final AtomicLong promoted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Thread thread;
    private final ServingAdapter adapter;
    private volatile double lastLoss = Double.NaN;
    private volatile boolean closed;

    private record ChatRequestAndAnswer(ChatRequest request, String answer) {
    }

    /** Counters for /v1/training/status. */
    public record Status(String serving, long offered, long dropped, long steps, long nonFiniteSkipped,
                         long promoted, long rejected) {
    }

    public LoraTrainer(LoraSettings settings, HfGenerator model, ModelRunner runner, Path dir) {
        this.settings = settings;
        this.model = model;
        this.runner = runner;
        try {
            this.store = new AdapterStore(dir, settings.keep());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot use " + dir + " for LoRA adapters", e);
        }
        this.training = new LoraTraining(model, (float) settings.learningRate());
        this.adapter = new ServingAdapter(model, store);
        adapter.loadPromoted();
        this.thread = Thread.ofPlatform().daemon().name("shammah-lora").start(this::run);
    }

    /** The adapter answering now ("base" for none): the router's evidence is kept per adapter. */
    public String serving() {
        return adapter.name();
    }

    /** Held-back loss of the last candidate adapter (NaN before the first batch). */
    public double lastLoss() {
        return lastLoss;
    }

    public Status status() {
        return new Status(adapter.name(), offered.get(), dropped.get(), steps.get(), nonFinite.get(), promoted.get(),
                rejected.get());
    }

    /** A teacher's whole text answer to learn from; never blocks. */
    public void offer(ChatRequest request, String answer) {
        if (closed || answer.isEmpty()) {
            return;
        }
        offered.incrementAndGet();
        if (!queue.offer(new ChatRequestAndAnswer(request, answer))) {
            dropped.incrementAndGet();
        }
    }

    private void run() {
        long seen = 0;
        while (!closed) {
            ChatRequestAndAnswer next;
            try {
                next = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next == null) {
                continue;
            }
            List<LoraTraining.Example> batch = null;
            lock.lock();
            try {
                LoraTraining.Example e = training.example(next.request(), next.answer(), settings.maxTokens());
                if (++seen % 5 == 0) {
                    heldBack.addLast(e);
                    if (heldBack.size() > HELD_BACK) {
                        heldBack.removeFirst();
                    }
                } else {
                    pending.add(e);
                }
                if (pending.size() >= settings.batchSize() && !heldBack.isEmpty()) {
                    batch = List.copyOf(pending);
                    pending.clear();
                }
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "Could not make a training example: " + ex.getMessage());
            } finally {
                lock.unlock();
            }
            if (batch != null) {
                List<LoraTraining.Example> train = batch;
                try {
                    runner.exclusive(() -> {
                        train(train);
                        return null;
                    });
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "A LoRA training batch failed: " + e.getMessage(), e);
                }
            }
        }
    }

    /** One batch: train a copy of the serving adapter, promote it if it is no worse on the held-back answers. */
    private void train(List<LoraTraining.Example> batch) throws IOException {
        List<LoraTraining.Example> eval;
        lock.lock();
        try {
            eval = List.copyOf(heldBack);
        } finally {
            lock.unlock();
        }
        LoraAdapter current = model.decoder().adapter();
        NDManager m = model.manager().newSubManager();
        LoraAdapter candidate = current == null
                ? LoraAdapter.init(model.config(), settings.rank(), settings.alpha(), settings.targets(), m,
                promoted.get() + rejected.get())
                : current.copy(m);
        boolean kept = false;
        double before;
        double after;
        String name;
        try {
            for (int i = 0; i < settings.stepsPerBatch(); i++) {
                double loss = training.step(batch, candidate);
                if (Double.isNaN(loss)) {
                    nonFinite.incrementAndGet();
                } else {
                    steps.incrementAndGet();
                }
            }
            before = training.loss(eval, current);
            after = training.loss(eval, candidate);
            lastLoss = after;
            if (!candidate.allFinite() || !Double.isFinite(after) || after > before) {
                rejected.incrementAndGet();
                return;
            }
            name = store.promote(candidate, model.directory().toString());
            lock.lock();
            try {
                adapter.swapIn(candidate, m, name);
                promoted.incrementAndGet();
                kept = true;
            } finally {
                lock.unlock();
            }
        } finally {
            if (!kept) {
                m.close(); // a rejected or failed candidate's arrays go with it
            }
        }
        LOG.info("LoRA adapter " + name + " promoted: held-back loss " + before + " -> " + after);
    }

    /** The adapters kept on disk, oldest first. */
    public List<String> adapters() throws IOException {
        return store.names();
    }

    /** Loads the adapter PROMOTED names (after an operator changed it), behind a permit; returns what serves. */
    public String reload() throws Exception {
        return runner.exclusive(() -> {
            lock.lock();
            try {
                adapter.install(store.promoted().orElse("base"));
                return adapter.name();
            } finally {
                lock.unlock();
            }
        });
    }

    /**
     * Serves a kept adapter again — by default the one before the serving one ("base" before the first) — and
     * names it in PROMOTED so a restart keeps it. Unknown names are refused.
     */
    public String rollback(String name) throws Exception {
        List<String> kept = adapters();
        String target = name;
        if (target == null) {
            String now = adapter.name();
            target = kept.stream().filter(n -> n.compareTo(now) < 0).reduce((a, b) -> b).orElse("base");
        } else if (!target.equals("base") && !kept.contains(target)) {
            throw new IllegalArgumentException("No adapter named '" + target + "' (kept: " + kept + ")");
        }
        String chosen = target;
        return runner.exclusive(() -> {
            lock.lock();
            try {
                store.serve(chosen);
                adapter.install(chosen);
                return adapter.name();
            } finally {
                lock.unlock();
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
