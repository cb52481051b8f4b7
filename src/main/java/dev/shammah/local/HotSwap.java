package dev.shammah.local;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A loaded model that can be replaced while answers are being generated with it: readers take a
 * {@link Lease}, {@link #install} swaps in a new value atomically, and the old one is closed when the last
 * lease on it ends — so a hot reload never fails or cuts short an answer in flight.
 */
final class HotSwap<T> {
    private final AtomicReference<Held<T>> current = new AtomicReference<>();
    private final Consumer<T> closer;

    HotSwap(Consumer<T> closer) {
        this.closer = closer;
    }

    private static final class Held<T> {
        final T value;
        // The "current" slot holds one use of its own.
        final AtomicInteger users = new AtomicInteger(1);

        Held(T value) {
            this.value = value;
        }

        boolean retain() {
            int u;
            do {
                u = users.get();
                if (u == 0) {
                    return false;
                }
            } while (!users.compareAndSet(u, u + 1));
            return true;
        }
    }

    /** One reader's hold on a value; closing it may free the value if it has been replaced. */
    final class Lease implements AutoCloseable {
        private final Held<T> held;
        private boolean closed;

        private Lease(Held<T> held) {
            this.held = held;
        }

        T value() {
            return held.value;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(held);
            }
        }
    }

    /** Makes {@code value} current; the previous value is closed once no lease holds it. */
    void install(T value) {
        Held<T> old = current.getAndSet(new Held<>(value));
        if (old != null) {
            release(old);
        }
    }

    /** A lease on the current value, or null when nothing is installed. */
    Lease lease() {
        while (true) {
            Held<T> h = current.get();
            if (h == null) {
                return null;
            }
            if (h.retain()) {
                return new Lease(h);
            }
        }
    }

    /** The current value without holding it (for metadata), or null. */
    T peek() {
        Held<T> h = current.get();
        return h == null ? null : h.value;
    }

    void close() {
        Held<T> h = current.getAndSet(null);
        if (h != null) {
            release(h);
        }
    }

    private void release(Held<T> h) {
        if (h.users.decrementAndGet() == 0) {
            closer.accept(h.value);
        }
    }
}
