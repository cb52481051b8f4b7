package dev.shammah.engine;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.local.GenerationOutcome;

/**
 * Runs model work behind the model gate: a {@link Semaphore} of {@code model.permits} (1 for a GPU) taken with
 * a bounded wait, and a pool of as many platform threads, so a generation never runs on a request's (virtual)
 * thread. Tokens go into a queue the request drains at its client's pace: the permit is released when the
 * model has finished, not when a slow client has read the last token (the queue is bounded by max_tokens).
 */
public final class ModelRunner implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ModelRunner.class.getName());
    private static final Object END = new Object();

    private final Semaphore gate;
    private final Duration maxWait;
    private final ExecutorService pool;
    /** Generations still producing: stopped, and waited for, before the models they use are closed. */
    private final Set<Generation> live = ConcurrentHashMap.newKeySet();

    public ModelRunner(int permits, Duration maxWait) {
        this.gate = new Semaphore(permits, true);
        this.maxWait = maxWait;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(permits, r -> {
            Thread t = new Thread(r, "shammah-model-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Permits free now (for status and tests). */
    public int available() {
        return gate.availablePermits();
    }

    /**
     * Starts a generation if a permit comes within {@code model.max-wait}; null means the model is busy.
     *
     * @param tokens    opens the model's token iterator (called on the model thread)
     * @param maxTokens most tokens to take from it
     */
    public Generation start(Supplier<Iterator<String>> tokens, int maxTokens) {
        try {
            if (!gate.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return launch(tokens, maxTokens);
    }

    /** Hands a generation whose permit is already held to a model thread. */
    private Generation launch(Supplier<Iterator<String>> tokens, int maxTokens) {
        Generation g = new Generation();
        live.add(g);
        try {
            pool.execute(() -> g.produce(tokens, maxTokens));
        } catch (RuntimeException e) {
            live.remove(g);
            gate.release();
            throw e;
        }
        return g;
    }

    /**
     * Runs model work that is not a generation (a training step, an evaluation, loading an adapter) on the calling
     * platform thread while holding a permit, waiting for one as long as it takes.
     */
    public <T> T exclusive(Callable<T> work) throws Exception {
        gate.acquire();
        try {
            return work.call();
        } finally {
            gate.release();
        }
    }

    /**
     * Starts a generation only if a permit is free now: background work (shadow runs) is skipped, never queued,
     * when the model is busy. Null when it was busy.
     */
    public Generation startIfFree(Supplier<Iterator<String>> tokens, int maxTokens) {
        if (!gate.tryAcquire()) {
            return null;
        }
        return launch(tokens, maxTokens);
    }

    /** Tokens as the model produces them; {@link #close()} stops the model if it is still going. */
    public final class Generation implements Iterator<String>, GenerationOutcome, AutoCloseable {
        private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        /** Counted down once the model's iterator exists (or could not be made): its prompt is counted by then. */
        private final CountDownLatch opened = new CountDownLatch(1);
        private volatile Iterator<String> source;
        private volatile boolean cancelled;
        private Object next;

        private void produce(Supplier<Iterator<String>> tokens, int maxTokens) {
            Iterator<String> it = null;
            try {
                try {
                    it = tokens.get();
                    source = it;
                } finally {
                    opened.countDown();
                }
                // One more than asked for, so the reader can tell max_tokens from a natural end.
                for (int i = 0; i <= maxTokens && !cancelled && it.hasNext(); i++) {
                    queue.add(it.next());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Local model failed: " + e);
                queue.add(e);
            } finally {
                if (it instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        LOG.log(Level.FINE, "closing a generation", e);
                    }
                }
                live.remove(this);
                gate.release();
                queue.add(END);
            }
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                try {
                    next = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancelled = true;
                    next = END;
                }
            }
            if (next instanceof RuntimeException e) {
                next = END;
                throw e;
            }
            return next != END;
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String s = (String) next;
            next = null;
            return s;
        }

        @Override
        public void close() {
            cancelled = true;
        }

        private GenerationOutcome outcome() {
            return source instanceof GenerationOutcome o ? o : null;
        }

        @Override
        public String stopReason() {
            var o = outcome();
            return o == null ? null : o.stopReason();
        }

        @Override
        public String stopSequence() {
            var o = outcome();
            return o == null ? null : o.stopSequence();
        }

        /** The prompt's length in the model's tokens, once the model has read it; -1 if it cannot say. */
        @Override
        public long inputTokens() {
            try {
                opened.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            var o = outcome();
            return o == null ? -1 : o.inputTokens();
        }
    }

    /**
     * Stops generations in progress (each ends at its next token) and waits for the model threads, so the models
     * can be closed after this without a thread still reading their freed weights.
     */
    @Override
    public void close() {
        live.forEach(Generation::close);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
