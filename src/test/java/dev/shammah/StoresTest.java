package dev.shammah;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import dev.shammah.local.ModelFingerprint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** What the user's model's evidence is kept under: its adapter alone in a data dir of one's own; in a shared store,
 * the model's fingerprint, and for an adapter also the data dir it was trained in. */
class StoresTest {
    @TempDir
    Path tmp;

    @Test
    void sharedEvidenceIsKeptPerModelAndAdaptersPerDataDir() throws IOException {
        Path model = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{\"hidden_size\":8}");
        Files.write(model.resolve("model.safetensors"), new byte[] {1, 2, 3});
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));

        UnaryOperator<String> own = Stores.modelVersion(false, model, a);
        assertThat(own.apply("base"), is("base"));
        assertThat(own.apply("adapter-000002"), is("adapter-000002"));
        assertThat("no model, nothing to key", Stores.modelVersion(true, null, a).apply("base"), is("base"));

        String fingerprint = ModelFingerprint.of(model);
        UnaryOperator<String> onA = Stores.modelVersion(true, model, a);
        UnaryOperator<String> onB = Stores.modelVersion(true, model, b);
        assertThat("the same weights share the base model's evidence", onA.apply("base"), is(onB.apply("base")));
        assertThat(onA.apply("base"), is(fingerprint + ":base"));
        assertThat("adapters trained apart never share it", onA.apply("adapter-000003"),
                is(not(onB.apply("adapter-000003"))));
        assertThat(onA.apply("adapter-000003"), startsWith(fingerprint + ":"));
        assertThat("a data dir keeps its id across restarts", Stores.modelVersion(true, model, a)
                .apply("adapter-000003"), is(onA.apply("adapter-000003")));
    }
}
