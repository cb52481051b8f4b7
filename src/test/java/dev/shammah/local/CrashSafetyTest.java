package dev.shammah.local;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import ai.djl.Device;
import dev.shammah.routing.EvidenceStore;
import dev.shammah.testsupport.CrashVictim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * kill -9 while training and persisting, 20 times at random moments: after every kill, the checkpoints, the
 * teacher memory and the router evidence all load, and the promoted checkpoint serves.
 */
class CrashSafetyTest {
    static final StudentTrainer.Settings SMALL = new StudentTrainer.Settings(32, 2, 1, 48, 4, 1,
            Integer.MAX_VALUE, 0.01f, Device.cpu());

    @TempDir
    Path data;

    @Test
    void everyKillLeavesALoadableState() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        int lastMemory = 0;
        for (int round = 0; round < 20; round++) {
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), CrashVictim.class.getName(), data.toString())
                    .redirectErrorStream(true).start();
            int ticks = 2 + ThreadLocalRandom.current().nextInt(4);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                String line;
                int seen = 0;
                while (seen < ticks && (line = out.readLine()) != null) {
                    if (line.startsWith("tick ")) {
                        seen++;
                    }
                }
                assertThat("the victim ran", seen, is(ticks));
                // Kill at a random moment inside the next tick's writes.
                Thread.sleep(ThreadLocalRandom.current().nextInt(1, 40));
                p.destroyForcibly();
                p.waitFor();
            }

            Checkpoints ckpts = new Checkpoints(data.resolve("checkpoints"), 5);
            assertThat(ckpts.current().isPresent(), is(true));
            try (StudentModel student = new StudentModel(ckpts, SMALL)) {
                assertThat(student.serving().isPresent(), is(true));
                student.generate("q", null).hasNext();
            }
            try (TeacherMemory memory = new TeacherMemory(data.resolve("memory"))) {
                assertThat("memory keeps what was committed", memory.size(), greaterThan(lastMemory));
                lastMemory = memory.size();
            }
            assertThat("evidence loads", new EvidenceStore(data).load().tenant("default").kind("pre:hi").passes(),
                    greaterThan(0L));
        }
    }
}
