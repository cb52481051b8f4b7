package dev.shammah.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Instances sharing a store pool the evidence for the user's model only when they run the same one: the
 * fingerprint is the same for a copy of a model folder and differs for another config or other weights.
 */
class ModelFingerprintTest {
    @TempDir
    Path tmp;

    private Path model(String name, String config, long seed) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("config.json"), config);
        byte[] weights = new byte[3 << 20];
        new Random(seed).nextBytes(weights);
        Files.write(dir.resolve("model.safetensors"), weights);
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        return dir;
    }

    @Test
    void aCopyHasTheSameFingerprintAndOtherWeightsOrAnotherConfigDoNot() throws IOException {
        String config = "{\"architectures\":[\"Qwen2ForCausalLM\"],\"hidden_size\":64}";
        String fp = ModelFingerprint.of(model("a", config, 1));
        assertThat(fp.length(), is(12));
        assertThat("a copy on another machine", ModelFingerprint.of(model("copy", config, 1)), is(fp));
        assertThat("a fine-tune of the same shape", ModelFingerprint.of(model("tuned", config, 2)), is(not(fp)));
        assertThat("another config", ModelFingerprint.of(model("other", config.replace("64", "128"), 1)),
                is(not(fp)));
    }
}
