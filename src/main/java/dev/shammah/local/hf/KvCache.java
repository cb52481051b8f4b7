package dev.shammah.local.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every position a generation has seen, per layer ({@code [KV heads, positions, head size]}),
 * held by the generation's manager: a step's own arrays are freed with the step, the cache only when the
 * generation ends.
 *
 * <p>After the first step (the prompt, kept as it came) a layer's keys and values live in a buffer with room to
 * spare, written in place: a new position costs writing that position, not copying every earlier one. The buffer
 * doubles when full, so copying is amortised to a constant per position.
 */
public final class KvCache implements AutoCloseable {
    /** Positions a buffer holds at least when it is first made. */
    private static final int FIRST_CAPACITY = 64;

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;

    KvCache(NDManager manager, int layers) {
        this.manager = manager;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    NDManager manager() {
        return manager;
    }

    /** Positions cached so far. */
    public int length() {
        return length;
    }

    /**
     * Adds this step's keys and values ({@code [KV heads, t, head size]}, positions {@link #length} onwards) to the
     * layer's and returns the whole of them, as arrays of the step's manager (views of the buffer where it has one).
     */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        if (keys[layer] == null) {
            // The first step's arrays are the cache: a training pass (one step, gradients through these) never
            // meets an in-place write.
            keys[layer] = k;
            values[layer] = v;
            k.attach(manager);
            v.attach(manager);
            return new NDArray[] {k, v};
        }
        int t = (int) k.getShape().get(1);
        int end = length + t;
        if (end > keys[layer].getShape().get(1)) {
            keys[layer] = grow(keys[layer], end);
            values[layer] = grow(values[layer], end);
        }
        NDIndex at = new NDIndex(":, {}:{}, :", length, end);
        keys[layer].set(at, k);
        values[layer].set(at, v);
        NDIndex upTo = new NDIndex(":, :{}, :", end);
        NDArray allK = keys[layer].get(upTo);
        NDArray allV = values[layer].get(upTo);
        allK.attach(k.getManager());
        allV.attach(k.getManager());
        return new NDArray[] {allK, allV};
    }

    /** A buffer with room for {@code needed} positions or twice the old one's, holding the old one's {@link #length}. */
    private NDArray grow(NDArray old, int needed) {
        Shape s = old.getShape();
        long capacity = Math.max(needed, Math.max(FIRST_CAPACITY, 2 * s.get(1)));
        NDArray bigger = manager.zeros(new Shape(s.get(0), capacity, s.get(2)), old.getDataType(), old.getDevice());
        try (NDArray held = old.get(new NDIndex(":, :{}, :", length))) {
            bigger.set(new NDIndex(":, :{}, :", length), held);
        }
        old.close();
        return bigger;
    }

    void advance(int positions) {
        length += positions;
    }

    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                keys[i].close();
                values[i].close();
            }
        }
    }
}
