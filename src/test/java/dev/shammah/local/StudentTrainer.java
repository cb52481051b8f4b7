package dev.shammah.local;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * Trains the student on the teacher's answers in the background: examples collect as answers are forwarded;
 * each full batch (half new examples, half replayed older ones so earlier answers are not forgotten) takes a
 * few optimizer steps; every {@code checkpointEvery} examples a checkpoint is written and scored on a
 * held-back sample (every tenth example is kept out of training). It is promoted to serving only if it scores
 * at least as well as the serving one.
 */
public final class StudentTrainer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StudentTrainer.class.getName());
    private static final int HELD_BACK = 16;
    private static final int REPLAY = 1024;

    /** Shape and schedule of the student and its training. */
    public record Settings(int dim, int heads, int layers, int maxLen, int batchSize, int stepsPerBatch,
                           int checkpointEvery, float learningRate, Device device) {
    }

    private record Pair(String prompt, String answer) {
    }

    private final Settings settings;
    private final Checkpoints checkpoints;
    private final BiFunction<String, String, Double> scorer;
    private final Consumer<Checkpoints.Manifest> onPromoted;
    private final Clock clock;
    private final Model model;
    private final StudentNet net;
    private final Trainer trainer;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "shammah-student-trainer");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Deque<Pair> pending = new ArrayDeque<>();
    private final List<Pair> replay = new ArrayList<>();
    private final Deque<Pair> heldBack = new ArrayDeque<>();
    private long offered;
    private long examples;
    private long step;
    private long lastCheckpointAt;
    private double lastLoss = Double.NaN;

    public StudentTrainer(Settings settings, Checkpoints checkpoints, BiFunction<String, String, Double> scorer,
                          Consumer<Checkpoints.Manifest> onPromoted, Clock clock) {
        this.settings = settings;
        this.checkpoints = checkpoints;
        this.scorer = scorer;
        this.onPromoted = onPromoted;
        this.clock = clock;
        this.model = Model.newInstance("student-training", settings.device(), "PyTorch");
        this.net = new StudentNet(settings.dim(), settings.heads(), settings.layers(), settings.maxLen());
        model.setBlock(net);
        this.trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
                .optDevices(new Device[] {settings.device()})
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(settings.learningRate())).build()));
        trainer.initialize(new Shape(settings.batchSize(), settings.maxLen()));
        // Continue from the serving checkpoint rather than from scratch after a restart.
        checkpoints.current().ifPresent(m -> {
            checkpoints.load(m.name(), model.getNDManager(), net);
            step = m.step();
            examples = m.examples();
            lastCheckpointAt = m.examples();
        });
    }

    /** A teacher answer to learn from; training runs on the trainer's own thread once a batch is full. */
    public synchronized void offer(String prompt, String answer) {
        if (answer.isBlank()) {
            return;
        }
        Pair p = new Pair(prompt, answer);
        if (++offered % 10 == 0) {
            heldBack.addLast(p);
            if (heldBack.size() > HELD_BACK) {
                heldBack.removeFirst();
            }
            return;
        }
        pending.addLast(p);
        if (replay.size() < REPLAY) {
            replay.add(p);
        } else {
            replay.set(ThreadLocalRandom.current().nextInt(REPLAY), p);
        }
        if (pending.size() >= settings.batchSize() / 2 && scheduled.compareAndSet(false, true)) {
            worker.submit(this::trainPending);
        }
    }

    private void trainPending() {
        try {
            List<Pair> batch;
            synchronized (this) {
                batch = new ArrayList<>();
                while (!pending.isEmpty() && batch.size() < settings.batchSize() / 2) {
                    batch.add(pending.removeFirst());
                }
                while (batch.size() < settings.batchSize() && !replay.isEmpty()) {
                    batch.add(replay.get(ThreadLocalRandom.current().nextInt(replay.size())));
                }
            }
            if (!batch.isEmpty()) {
                train(batch);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Student training step failed", e);
        } finally {
            scheduled.set(false);
            synchronized (this) {
                if (pending.size() >= settings.batchSize() / 2 && scheduled.compareAndSet(false, true)) {
                    worker.submit(this::trainPending);
                }
            }
        }
    }

    /** Trains on one batch and checkpoints when due. */
    private double train(List<Pair> batch) {
        for (int i = 0; i < settings.stepsPerBatch(); i++) {
            lastLoss = step(batch);
            step++;
        }
        examples += batch.size() / 2 + 1;
        if (examples - lastCheckpointAt >= settings.checkpointEvery()) {
            checkpoint();
        }
        return lastLoss;
    }

    /** Trains on explicit pairs (tests and warm starts). */
    public double trainOn(List<String[]> pairs) {
        List<Pair> batch = pairs.stream().map(p -> new Pair(p[0], p[1])).toList();
        for (int i = 0; i < settings.stepsPerBatch(); i++) {
            lastLoss = step(batch);
            step++;
        }
        examples += batch.size();
        return lastLoss;
    }

    private double step(List<Pair> batch) {
        int b = batch.size();
        int t = settings.maxLen();
        long[] x = new long[b * t];
        long[] y = new long[b * t];
        float[] mask = new float[b * t];
        for (int i = 0; i < b; i++) {
            StudentCodec.Example e = StudentCodec.example(batch.get(i).prompt(), batch.get(i).answer(), t);
            int[] seq = e.bytes();
            for (int j = 0; j + 1 < seq.length && j < t; j++) {
                x[i * t + j] = seq[j];
                y[i * t + j] = seq[j + 1];
                mask[i * t + j] = j >= e.separator() ? 1 : 0;
            }
        }
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray xs = m.create(x, new Shape(b, t));
            NDArray ys = m.create(y, new Shape(b, t, 1));
            NDArray ms = m.create(mask, new Shape(b, t));
            double value;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(xs)).singletonOrThrow();
                NDArray picked = logits.logSoftmax(2).gather(ys, 2).squeeze(2);
                // Mean negative log-likelihood of the answer bytes only: the prompt is given, not learned.
                NDArray loss = picked.mul(ms).sum().neg().div(ms.sum().add(1e-6f));
                gc.backward(loss);
                value = loss.getFloat();
            }
            trainer.step();
            return value;
        }
    }

    /** Writes a checkpoint now; promotes it if it scores no worse than the serving one. */
    public synchronized Checkpoints.Manifest checkpoint() {
        double score = evaluate();
        double servingScore = checkpoints.current().map(Checkpoints.Manifest::validatorScore).orElse(-1.0);
        boolean promote = checkpoints.current().isEmpty() || score >= servingScore;
        Checkpoints.Manifest m = checkpoints.save(net, step, examples, lastLoss, score, promote, clock.instant());
        lastCheckpointAt = examples;
        if (promote) {
            checkpoints.promote(m.name());
            onPromoted.accept(m);
        } else {
            LOG.info(() -> "Checkpoint " + m.name() + " scored " + score + " < serving " + servingScore
                    + "; not promoted");
        }
        return m;
    }

    /** Mean validator score of the student's answers to the held-back prompts; -1 with none held back. */
    private double evaluate() {
        List<Pair> sample;
        synchronized (this) {
            sample = List.copyOf(heldBack);
        }
        if (sample.isEmpty()) {
            return -1;
        }
        double sum = 0;
        try (NDManager m = model.getNDManager().newSubManager()) {
            for (Pair p : sample) {
                sum += scorer.apply(StudentDecoder.complete(net, m, p.prompt(), 200), p.answer());
            }
        }
        return sum / sample.size();
    }

    public synchronized long examples() {
        return examples;
    }

    public synchronized long steps() {
        return step;
    }

    public synchronized double lastLoss() {
        return lastLoss;
    }

    /** Waits for the trainer's thread to be idle (tests). */
    public void drain() {
        try {
            worker.submit(() -> { }).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.FINE, "drain", e);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        trainer.close();
        model.close();
    }
}
