package dev.shammah.local.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of every position a generation has seen, per layer ({@code [KV heads, positions, head size]}),
 * held by the generation's manager: a step's own arrays are freed with the step, the cache only when the
 * generation ends.
 */
public final class KvCache implements AutoCloseable {
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

    /** Adds this step's keys and values to the layer's and returns the whole of them. */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray allK = keys[layer] == null ? k : NDArrays.concat(new NDList(keys[layer], k), 1);
        NDArray allV = values[layer] == null ? v : NDArrays.concat(new NDList(values[layer], v), 1);
        allK.attach(manager);
        allV.attach(manager);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = allK;
        values[layer] = allV;
        return new NDArray[] {allK, allV};
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
