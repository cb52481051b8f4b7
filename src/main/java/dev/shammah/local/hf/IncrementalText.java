package dev.shammah.local.hf;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Text as tokens arrive, without decoding the whole answer again for every token (the way Hugging Face's
 * TextStreamer does it): only a window from the last emitted point is decoded, twice — up to the previous token and
 * up to this one — and the difference is this token's text. A token that ends mid-character decodes as U+FFFD; its
 * text waits until the character is complete.
 */
final class IncrementalText {
    private final Function<long[], String> decode;
    private long[] ids = new long[64];
    private int size;
    /** Start of the decoded window, and the end of what has been shown. */
    private int prefix;
    private int read;

    IncrementalText(Function<long[], String> decode) {
        this.decode = decode;
    }

    /** Adds a token; returns the text it completes (possibly ""). */
    String add(long token) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = token;
        String before = decode.apply(Arrays.copyOfRange(ids, prefix, read));
        String now = decode.apply(Arrays.copyOfRange(ids, prefix, size));
        if (now.length() > before.length() && !now.endsWith("\uFFFD")) {
            prefix = read;
            read = size;
            return now.substring(before.length());
        }
        return "";
    }

    int size() {
        return size;
    }

    long last() {
        return ids[size - 1];
    }

    long[] tokens() {
        return Arrays.copyOf(ids, size);
    }
}
