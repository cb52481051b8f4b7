package dev.shammah.local;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How text becomes the student's byte sequences: the end of the prompt, a separator, the answer, an end mark.
 * Bytes 0x01 and 0x02 never occur in text people send, so they are free to mark the boundaries.
 */
public final class StudentCodec {
    public static final int SEPARATOR = 1;
    public static final int END = 2;

    private StudentCodec() {
    }

    /** The prompt's last {@code budget} bytes followed by the separator. */
    public static int[] promptPrefix(String prompt, int budget) {
        byte[] p = prompt.getBytes(StandardCharsets.UTF_8);
        int from = Math.max(0, p.length - budget);
        int[] out = new int[p.length - from + 1];
        for (int i = from; i < p.length; i++) {
            out[i - from] = p[i] & 0xff;
        }
        out[out.length - 1] = SEPARATOR;
        return out;
    }

    /**
     * A training example of at most {@code maxLen + 1} bytes: prompt prefix, answer, end mark. Returns the
     * sequence and the index of the separator (the loss counts only what follows it).
     */
    public static Example example(String prompt, String answer, int maxLen) {
        int[] prefix = promptPrefix(prompt, maxLen / 3);
        byte[] a = answer.getBytes(StandardCharsets.UTF_8);
        int room = maxLen + 1 - prefix.length - 1;
        int take = Math.min(a.length, Math.max(0, room));
        int[] seq = Arrays.copyOf(prefix, prefix.length + take + 1);
        for (int i = 0; i < take; i++) {
            seq[prefix.length + i] = a[i] & 0xff;
        }
        seq[seq.length - 1] = END;
        return new Example(seq, prefix.length - 1);
    }

    /** @param bytes the sequence, @param separator index of the separator */
    public record Example(int[] bytes, int separator) {
    }
}
