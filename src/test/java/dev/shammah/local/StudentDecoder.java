package dev.shammah.local;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;

/**
 * Greedy decoding with the student, one byte per step, each step's arrays in a sub-manager closed at once
 * (native memory must not wait for the garbage collector).
 */
public final class StudentDecoder {
    private final StudentNet net;
    private final NDManager manager;
    private final int[] context;
    private int length;
    private boolean done;

    public StudentDecoder(StudentNet net, NDManager manager, String prompt) {
        this.net = net;
        this.manager = manager;
        int[] prefix = StudentCodec.promptPrefix(prompt, net.maxLen() / 3);
        this.context = new int[net.maxLen()];
        System.arraycopy(prefix, 0, context, 0, prefix.length);
        this.length = prefix.length;
    }

    /** The next byte, or -1 at the end mark or when the context is full. */
    public int next() {
        if (done || length >= context.length) {
            done = true;
            return -1;
        }
        try (NDManager step = manager.newSubManager()) {
            long[] ids = new long[length];
            for (int i = 0; i < length; i++) {
                ids[i] = context[i];
            }
            NDArray x = step.create(ids, new Shape(1, length));
            NDArray logits = net.forward(new ParameterStore(step, false), new NDList(x), false).singletonOrThrow();
            int b = (int) logits.get(0, length - 1).argMax().toLongArray()[0];
            if (b == StudentCodec.END || b == StudentCodec.SEPARATOR || b == 0) {
                done = true;
                return -1;
            }
            context[length++] = b;
            return b;
        }
    }

    /** The whole answer, up to {@code maxBytes} (evaluation and tests). */
    public static String complete(StudentNet net, NDManager manager, String prompt, int maxBytes) {
        StudentDecoder d = new StudentDecoder(net, manager, prompt);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while (out.size() < maxBytes && (b = d.next()) >= 0) {
            out.write(b);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
