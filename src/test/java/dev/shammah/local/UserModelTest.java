package dev.shammah.local;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import ai.djl.Device;
import dev.shammah.testsupport.TinyTorchScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A TorchScript causal LM + tokenizer.json from a directory, decoded greedily; the test writes the model. */
class UserModelTest {
    static final List<String> VOCAB = List.of("<unk>", "</s>", "hello", "world", "again", "bye");

    @TempDir
    Path dir;

    private static String answer(UserModel m, String prompt) {
        StringBuilder sb = new StringBuilder();
        Iterator<String> it = m.generate(prompt, null);
        it.forEachRemaining(sb::append);
        return sb.toString();
    }

    @Test
    void loadsAndDecodesUntilTheEndTokenThenReloads() throws Exception {
        TinyTorchScript.write(dir, VOCAB, List.of("hello", "world", "again"));
        try (UserModel m = new UserModel(dir, "</s>", 50, Device.cpu())) {
            assertThat(answer(m, "hello"), is("world again"));
            // A generation in flight finishes on the model it started with.
            Iterator<String> inFlight = m.generate("hello", null);
            String first = inFlight.next();
            TinyTorchScript.write(dir, VOCAB, List.of("hello", "bye"));
            m.reload();
            StringBuilder rest = new StringBuilder(first);
            inFlight.forEachRemaining(rest::append);
            assertThat(rest.toString(), is("world again"));
            assertThat(answer(m, "hello"), is("bye"));
        }
    }

    @Test
    void stopsAtMaxNewTokens() throws Exception {
        TinyTorchScript.write(dir, VOCAB, List.of("world", "hello", "again", "bye"));
        try (UserModel m = new UserModel(dir, "</s>", 2, Device.cpu())) {
            assertThat(answer(m, "world"), is("hello again"));
        }
    }

    @Test
    void aDirectoryWithoutAModelOrTokenizerFailsClearly() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new UserModel(dir, "</s>", 10, Device.cpu()).close());
        assertThat(e.getMessage(), containsString("no .pt TorchScript file"));
        TinyTorchScript.write(dir, VOCAB, List.of("hello"));
        IllegalStateException end = assertThrows(IllegalStateException.class,
                () -> new UserModel(dir, "<|endoftext|> extra", 10, Device.cpu()).close());
        assertThat(end.getMessage(), containsString("model.end-token"));
    }
}
