package dev.shammah.local;

/**
 * Sizes the native thread pools before any engine starts. PyTorch's defaults take one thread per core for each
 * operation and more for inter-op work; on a small machine a training step or a generation would then hold every
 * core while requests wait. Model work here gets half the cores (at least one) and one inter-op thread; the
 * sentence encoder runs single-threaded ({@link OnnxEncoder}). A value set on the command line
 * ({@code -Dai.djl.pytorch.num_threads=…}) wins.
 */
public final class NativeThreads {
    private static final String THREADS = "ai.djl.pytorch.num_threads";
    private static final String INTEROP = "ai.djl.pytorch.num_interop_threads";

    private NativeThreads() {
    }

    /** Threads model work may use: half of what the JVM sees (container limits included), at least one. */
    public static int modelThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    public static void pin() {
        if (System.getProperty(THREADS) == null) {
            System.setProperty(THREADS, Integer.toString(modelThreads()));
        }
        if (System.getProperty(INTEROP) == null) {
            System.setProperty(INTEROP, "1");
        }
    }
}
