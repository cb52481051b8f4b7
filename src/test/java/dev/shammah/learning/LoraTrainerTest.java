package dev.shammah.learning;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import ai.djl.Device;
import dev.shammah.config.LoraSettings;
import dev.shammah.engine.ModelRunner;
import dev.shammah.local.ChatRequest;
import dev.shammah.local.hf.HfGenerator;
import dev.shammah.testsupport.TinyHfModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

/**
 * Background fine-tuning: batches wait for a model permit, an adapter no worse on held-back answers is promoted,
 * written in PEFT's layout, kept (newest {@code keep}) and loaded again at start.
 */
class LoraTrainerTest {
    @TempDir
    Path dir;

    private static ChatRequest ask(String text) {
        return new ChatRequest(null, List.of(new ChatRequest.Turn("user", text)), 16, 0, 0, 1, List.of());
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void trainsBehindThePermitPromotesKeepsAndReloads() throws Exception {
        Path folder = TinyHfModel.write(dir.resolve("m"), TinyHfModel.Layout.LLAMA);
        LoraSettings settings = new LoraSettings(true, 4, 8, List.of("q_proj", "v_proj", "o_proj"), 4, 10, 0.01,
                64, 2);
        String promotedName;
        try (HfGenerator model = new HfGenerator(folder, Device.cpu(), 16);
             ModelRunner runner = new ModelRunner(1, Duration.ofMillis(50));
             LoraTrainer trainer = new LoraTrainer(settings, model, runner, dir.resolve("lora"))) {
            assertThat(trainer.serving(), is("base"));
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = Thread.ofPlatform().start(() -> {
                try {
                    runner.exclusive(() -> {
                        release.await();
                        return null;
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await(() -> runner.available() == 0);
            for (int i = 0; i < 5; i++) {
                trainer.offer(ask("what is the capital of france"), "paris");
            }
            Thread.sleep(500);
            assertThat("no training while another holds the only permit", trainer.status().steps(), is(0L));
            release.countDown();
            holder.join();
            await(() -> trainer.status().promoted() + trainer.status().rejected() > 0);
            assertThat(trainer.status().toString(), trainer.status().promoted(), is(1L));
            promotedName = trainer.serving();
            assertThat(promotedName, is("adapter-000001"));
            Path adapter = dir.resolve("lora").resolve(promotedName);
            assertThat(Files.isRegularFile(adapter.resolve("adapter_model.safetensors")), is(true));
            assertThat(Files.isRegularFile(adapter.resolve("adapter_config.json")), is(true));
            assertThat("learned from people's answers: private",
                    java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                            adapter.resolve("adapter_model.safetensors"))), is("rw-------"));
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dir.resolve("lora"))), is("rwx------"));
            assertThat(Files.readString(dir.resolve("lora").resolve("PROMOTED")).strip(), is(promotedName));
            assertThat("the promoted adapter answers", model.decoder().adapter() == null, is(false));

            for (int batch = 0; batch < 3; batch++) {
                long before = trainer.status().promoted() + trainer.status().rejected();
                for (int i = 0; i < 5; i++) {
                    trainer.offer(ask("what is the capital of france"), "paris");
                }
                await(() -> trainer.status().promoted() + trainer.status().rejected() > before);
            }
            assertThat(trainer.status().promoted(), greaterThanOrEqualTo(2L));
            try (var files = Files.list(dir.resolve("lora"))) {
                assertThat("keep: 2", files.filter(p -> p.getFileName().toString().startsWith("adapter-")).count(),
                        lessThanOrEqualTo(2L));
            }
            promotedName = trainer.serving();

            // Rollback: the adapter before the serving one by default, "base" for none; PROMOTED follows.
            List<String> kept = trainer.adapters();
            String older = trainer.rollback(null);
            assertThat(older, is(kept.size() > 1 ? kept.get(kept.size() - 2) : "base"));
            assertThat(trainer.serving(), is(older));
            assertThat(trainer.rollback("base"), is("base"));
            assertThat(model.decoder().adapter() == null, is(true));
            assertThat(Files.exists(dir.resolve("lora").resolve("PROMOTED")), is(false));
            assertThat(trainer.rollback(promotedName), is(promotedName));
            assertThat(Files.readString(dir.resolve("lora").resolve("PROMOTED")).strip(), is(promotedName));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> trainer.rollback("adapter-999999"));
        }
        try (HfGenerator again = new HfGenerator(folder, Device.cpu(), 16);
             ModelRunner runner = new ModelRunner(1, Duration.ofMillis(50));
             LoraTrainer trainer = new LoraTrainer(settings, again, runner, dir.resolve("lora"))) {
            assertThat("the promoted adapter is loaded at start", trainer.serving(), is(promotedName));
            assertThat(again.decoder().adapter() == null, is(false));
            assertThat(trainer.serving(), not("base"));
        }
    }
}
