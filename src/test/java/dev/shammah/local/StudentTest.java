package dev.shammah.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

/** The DJL/PyTorch student: it learns, checkpoints atomically, reloads, rolls back. */
class StudentTest {
    static final StudentTrainer.Settings SMALL = new StudentTrainer.Settings(32, 2, 1, 48, 8, 1, 1000, 0.01f,
            Device.cpu());

    @TempDir
    Path dir;

    private static List<String[]> data() {
        return List.of(new String[] {"capital of France?", "Paris."}, new String[] {"capital of Italy?", "Rome."},
                new String[] {"2+2?", "4"}, new String[] {"colour of the sky?", "Blue."});
    }

    @Test
    void learnsCheckpointsReloadsAndRollsBack() throws Exception {
        Checkpoints ckpts = new Checkpoints(dir.resolve("checkpoints"), 5);
        AtomicReference<Checkpoints.Manifest> promoted = new AtomicReference<>();
        try (StudentTrainer trainer = new StudentTrainer(SMALL, ckpts, (a, b) -> a.equals(b) ? 1.0 : 0.0,
                promoted::set, Clock.systemUTC())) {
            double first = trainer.trainOn(data());
            double last = first;
            for (int i = 0; i < 300; i++) {
                last = trainer.trainOn(data());
            }
            assertThat("training lowers the loss", last, lessThan(first / 4));
            Checkpoints.Manifest m1 = trainer.checkpoint();
            assertThat(promoted.get().name(), is(m1.name()));
            assertThat(ckpts.current().orElseThrow().name(), is(m1.name()));

            try (StudentModel student = new StudentModel(ckpts, SMALL)) {
                assertThat(student.serving().orElseThrow().name(), is(m1.name()));
                StringBuilder answer = new StringBuilder();
                Iterator<String> tokens = student.generate("capital of France?", null);
                tokens.forEachRemaining(answer::append);
                assertThat("memorised a training answer", answer.toString(), is("Paris."));

                // An answer in flight keeps its network across a reload.
                Iterator<String> inFlight = student.generate("capital of Italy?", null);
                String firstPiece = inFlight.next();
                for (int i = 0; i < 5; i++) {
                    trainer.trainOn(data());
                }
                Checkpoints.Manifest m2 = trainer.checkpoint();
                student.reload();
                assertThat(student.serving().orElseThrow().name(), is(m2.name()));
                StringBuilder rest = new StringBuilder(firstPiece);
                inFlight.forEachRemaining(rest::append);
                assertThat(rest.toString(), is("Rome."));

                student.rollback(m1.name());
                assertThat(student.serving().orElseThrow().name(), is(m1.name()));
                assertThat(ckpts.current().orElseThrow().name(), is(m1.name()));
            }
        }
        // A crash mid-write leaves a .tmp directory: it is ignored and cleaned, the state stays loadable.
        Files.createDirectories(dir.resolve("checkpoints/.tmp-ckpt-999999999"));
        Files.writeString(dir.resolve("checkpoints/.tmp-ckpt-999999999/student.params"), "half a file");
        Checkpoints again = new Checkpoints(dir.resolve("checkpoints"), 5);
        assertThat(Files.exists(dir.resolve("checkpoints/.tmp-ckpt-999999999")), is(false));
        assertThat(again.list(), hasSize(2));
        try (StudentModel restarted = new StudentModel(again, SMALL)) {
            assertThat(restarted.serving().orElseThrow().name(), startsWith("ckpt-"));
        }
    }

    @Test
    void keepsOnlyTheNewestCheckpointsButNeverTheServingOne() {
        Checkpoints ckpts = new Checkpoints(dir.resolve("c"), 2);
        List<String> names = new ArrayList<>();
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            for (int i = 0; i < 4; i++) {
                StudentNet net = new StudentNet(32, 2, 1, 48);
                net.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 48));
                names.add(ckpts.save(net, i + 1, i, 1.0, 0.5, i == 0, java.time.Instant.now()).name());
                if (i == 0) {
                    ckpts.promote(names.get(0));
                }
            }
        }
        List<String> kept = ckpts.list().stream().map(Checkpoints.Manifest::name).toList();
        assertThat(kept, is(List.of(names.get(0), names.get(2), names.get(3))));
    }
}
