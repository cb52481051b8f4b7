package dev.shammah.learning;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

import dev.shammah.local.Encoder;
import dev.shammah.local.Exchange;
import dev.shammah.local.PairedEncoder;
import dev.shammah.local.TeacherMemory;
import dev.shammah.routing.Courtesy;
import dev.shammah.routing.MemoryKeys;
import dev.shammah.routing.PromptForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** A scope serves rewordings only while its index keeps up with the memory (the ambiguity check needs every stored prompt). */
class FiledPromptsTest {
    @TempDir
    Path dir;

    private static final Encoder FIXED = new Encoder() {
        @Override
        public float[] embed(String text) {
            return new float[] {1, 0};
        }

        @Override
        public void close() {
        }
    };

    private static void store(TeacherMemory memory, String id, String context, String prompt) {
        memory.add(new Exchange(id, "t", context, prompt, "[{\"type\":\"text\",\"text\":\"answer\"}]", "end_turn", "m",
                3, Instant.EPOCH), MemoryKeys.of("t", context, PromptForm.of(prompt, Courtesy.builtIn())));
    }

    @Test
    void aScopeIsCompleteOnlyWhenEveryStoredPromptIsFiledAndNeverAfterOneWasDropped() throws Exception {
        TeacherMemory memory = new TeacherMemory(dir);
        // One task queued at most: a second filing waiting beside the first is dropped.
        PacedWorker worker = new PacedWorker("t", "filing", 1, () -> { }, () -> false);
        try {
            // No lag allowed: any filing still waiting puts its scope behind.
            FiledPrompts filed = new FiledPrompts(memory, new PairedEncoder(FIXED, () -> FIXED), worker, Duration.ZERO);
            worker.drain(Duration.ofSeconds(10));
            assertThat("an empty memory is filed at once", filed.current("t", "a"), is(true));

            CountDownLatch hold = HeldWorker.hold(worker, () -> { });
            store(memory, "e1", "a", "How do I learn Python?");
            assertThat("a filing waits in the queue", filed.current("t", "a"), is(false));
            assertThat("another context is not behind", filed.current("t", "b"), is(true));
            hold.countDown();
            worker.drain(Duration.ofSeconds(10));
            assertThat(filed.current("t", "a"), is(true));

            CountDownLatch hold2 = HeldWorker.hold(worker, () -> { });
            store(memory, "e2", "b", "How do I learn Java?");
            store(memory, "e3", "b", "How do I learn Go?"); // the queue is full: dropped
            for (int i = 0; i < 100; i++) {
                store(memory, "d" + i, "b", "How do I learn Go, part " + i + "?"); // dropped as well
            }
            assertThat("only the filing queued is waited for: a dropped one keeps no note", filed.waiting(), is(1));
            hold2.countDown();
            worker.drain(Duration.ofSeconds(10));
            assertThat("a dropped filing leaves its scope behind for good", filed.current("t", "b"), is(false));
            assertThat(filed.current("t", "a"), is(true));

            FiledPrompts lenient = new FiledPrompts(memory, new PairedEncoder(FIXED, () -> FIXED), worker,
                    Duration.ofMinutes(10));
            worker.drain(Duration.ofSeconds(10));
            CountDownLatch hold3 = HeldWorker.hold(worker, () -> { });
            store(memory, "e4", "c", "How do I learn Rust?");
            assertThat("a filing queued a moment ago is within the lag allowed", lenient.current("t", "c"), is(true));
            hold3.countDown();
            worker.drain(Duration.ofSeconds(10));
        } finally {
            worker.close();
            memory.close();
        }
    }
}
