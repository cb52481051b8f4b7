package dev.shammah.local.hf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/** Token-by-token text: each token's piece, characters split over tokens, and no re-decoding of the whole answer. */
class IncrementalTextTest {
    /** A byte-level "tokenizer": each id is one UTF-8 byte; broken sequences decode as U+FFFD, as HF's do. */
    private static final List<Integer> DECODED_LENGTHS = new ArrayList<>();

    private static String bytes(long[] ids) {
        DECODED_LENGTHS.add(ids.length);
        byte[] b = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) {
            b[i] = (byte) ids[i];
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void aCharacterSplitOverTokensIsShownWhenItIsComplete() {
        IncrementalText text = new IncrementalText(IncrementalTextTest::bytes);
        List<String> pieces = new ArrayList<>();
        for (byte b : "hé!".getBytes(StandardCharsets.UTF_8)) {
            pieces.add(text.add(b & 0xff));
        }
        // "é" is two bytes: the first token shows nothing, the second shows the whole character.
        assertThat(pieces, contains("h", "", "é", "!"));
        assertThat(String.join("", pieces), is("hé!"));
        assertThat(text.size(), is(4));
    }

    @Test
    void onlyAWindowIsDecodedNotTheWholeAnswer() {
        DECODED_LENGTHS.clear();
        IncrementalText text = new IncrementalText(IncrementalTextTest::bytes);
        StringBuilder all = new StringBuilder();
        String answer = "a".repeat(500);
        for (byte b : answer.getBytes(StandardCharsets.UTF_8)) {
            all.append(text.add(b));
        }
        assertThat(all.toString(), is(answer));
        assertThat("longest decode", DECODED_LENGTHS.stream().mapToInt(Integer::intValue).max().orElse(0) <= 2,
                is(true));
    }
}
