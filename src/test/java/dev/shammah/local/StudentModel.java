package dev.shammah.local;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

/**
 * The student, serving: the promoted checkpoint loaded into its own network. {@link #reload()} loads the
 * newest promoted checkpoint beside the serving one and swaps them atomically; answers already being generated
 * finish on the network they started with, which is freed once the last of them ends.
 */
public final class StudentModel implements LocalModel, AutoCloseable {
    public static final String ID = "shammah-student";

    private final Checkpoints checkpoints;
    private final StudentTrainer.Settings settings;
    private final HotSwap<Loaded> current = new HotSwap<>(l -> l.manager().close());

    /** One loaded checkpoint. */
    private record Loaded(StudentNet net, NDManager manager, Checkpoints.Manifest manifest) {
    }

    public StudentModel(Checkpoints checkpoints, StudentTrainer.Settings settings) {
        this.checkpoints = checkpoints;
        this.settings = settings;
        reload();
    }

    @Override
    public String id() {
        return ID;
    }

    public Checkpoints checkpoints() {
        return checkpoints;
    }

    /** The serving checkpoint, if any. */
    public Optional<Checkpoints.Manifest> serving() {
        Loaded l = current.peek();
        return l == null ? Optional.empty() : Optional.of(l.manifest());
    }

    /** Loads the promoted checkpoint (if it is not the one serving) and swaps it in. */
    public synchronized Optional<Checkpoints.Manifest> reload() {
        Optional<Checkpoints.Manifest> promoted = checkpoints.current();
        if (promoted.isEmpty()) {
            return serving();
        }
        Loaded old = current.peek();
        if (old != null && old.manifest().name().equals(promoted.get().name())) {
            return serving();
        }
        NDManager manager = NDManager.newBaseManager(device(), "PyTorch");
        StudentNet net = new StudentNet(settings.dim(), settings.heads(), settings.layers(), settings.maxLen());
        try {
            checkpoints.load(promoted.get().name(), manager, net);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        current.install(new Loaded(net, manager, promoted.get()));
        return serving();
    }

    /** Promotes an earlier checkpoint and serves it. */
    public Optional<Checkpoints.Manifest> rollback(String name) {
        checkpoints.promote(name);
        return reload();
    }

    private Device device() {
        return settings.device();
    }

    @Override
    public Iterator<String> generate(String prompt, Exchange candidate) {
        HotSwap<Loaded>.Lease lease = current.lease();
        if (lease == null) {
            throw new IllegalStateException("The student has no checkpoint yet");
        }
        return new Generation(lease, prompt);
    }

    /** Streams text as the student produces bytes; frees its hold on the network when it ends. */
    private static final class Generation implements Iterator<String>, AutoCloseable {
        private final HotSwap<Loaded>.Lease lease;
        private final NDManager manager;
        private final StudentDecoder decoder;
        private String next;
        private boolean closed;

        Generation(HotSwap<Loaded>.Lease lease, String prompt) {
            this.lease = lease;
            this.manager = lease.value().manager().newSubManager();
            this.decoder = new StudentDecoder(lease.value().net(), manager, prompt);
        }

        @Override
        public boolean hasNext() {
            if (next == null && !closed) {
                next = pull();
                if (next == null) {
                    close();
                }
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

        /** The next whole UTF-8 character (bytes of a multi-byte character are gathered first). */
        private String pull() {
            int b = decoder.next();
            if (b < 0) {
                return null;
            }
            int need = b < 0x80 ? 0 : b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
            byte[] bytes = new byte[need + 1];
            bytes[0] = (byte) b;
            int got = 1;
            while (got <= need) {
                int c = decoder.next();
                if (c < 0) {
                    break;
                }
                bytes[got++] = (byte) c;
            }
            return new String(bytes, 0, got, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
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
