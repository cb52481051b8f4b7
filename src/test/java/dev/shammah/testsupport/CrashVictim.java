package dev.shammah.testsupport;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import ai.djl.Device;
import dev.shammah.local.Checkpoints;
import dev.shammah.local.Exchange;
import dev.shammah.local.StudentTrainer;
import dev.shammah.local.TeacherMemory;
import dev.shammah.routing.Evidence;
import dev.shammah.routing.EvidenceStore;

/**
 * A process that writes every kind of learned state as fast as it can — checkpoints (promoting each),
 * teacher memory, router evidence — until it is killed. The crash-safety test kills it with SIGKILL at random
 * moments and then checks that everything it left loads.
 */
public final class CrashVictim {
    private CrashVictim() {
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        Path data = Path.of(args[0]);
        Checkpoints ckpts = new Checkpoints(data.resolve("checkpoints"), 5);
        StudentTrainer.Settings s = new StudentTrainer.Settings(32, 2, 1, 48, 4, 1, Integer.MAX_VALUE, 0.01f,
                Device.cpu());
        EvidenceStore evidenceStore = new EvidenceStore(data);
        Evidence evidence = evidenceStore.load();
        try (StudentTrainer trainer = new StudentTrainer(s, ckpts, (a, b) -> 0.5, m -> { }, Clock.systemUTC());
             TeacherMemory memory = new TeacherMemory(data.resolve("memory"))) {
            for (long tick = 0; ; tick++) {
                trainer.trainOn(List.<String[]>of(new String[] {"q" + tick, "a" + tick}));
                trainer.checkpoint();
                memory.add(new Exchange("x" + tick + "-" + System.nanoTime(), "default", "ctx", "q" + tick, "[]",
                        "end_turn", "m", 1, Instant.now()), new TeacherMemory.Keys("s", "q" + tick, "q" + tick,
                        List.of("q" + tick)));
                // What the commit timer does every learning.commit-interval, here every tick.
                memory.commit();
                evidence.recordExchange("default", "x" + tick, true);
                evidence.recordKind("default", "pre:hi", true);
                evidenceStore.save(evidence);
                System.out.println("tick " + tick);
                System.out.flush();
            }
        }
    }
}
