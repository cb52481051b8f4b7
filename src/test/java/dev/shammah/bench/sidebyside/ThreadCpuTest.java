package dev.shammah.bench.sidebyside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The side-by-side bench's account of a JVM's CPU by kind of thread, read from /proc. */
class ThreadCpuTest {
    @Test
    void readsUserAndSystemTicksPastANameWithSpacesAndParentheses() {
        String stat = "4242 (C2 Compiler) (x) S 1 4242 4242 0 -1 4194368 100 0 0 0 1234 56 0 0 20 0 30 0 500 0 0";
        assertEquals(1290, ThreadCpu.ticks(stat));
    }

    @Test
    void sortsThreadsByTheirNamesAsProcCutsThem() {
        assertEquals(ThreadCpu.Part.COMPILER, ThreadCpu.part("C2 CompilerThre"));
        assertEquals(ThreadCpu.Part.COMPILER, ThreadCpu.part("C1 CompilerThre"));
        assertEquals(ThreadCpu.Part.COLLECTOR, ThreadCpu.part("GC Thread#1"));
        assertEquals(ThreadCpu.Part.COLLECTOR, ThreadCpu.part("G1 Refine#0"));
        assertEquals(ThreadCpu.Part.LEARNING, ThreadCpu.part("shammah-learner"));
        assertEquals(ThreadCpu.Part.LEARNING, ThreadCpu.part("shammah-rewordi"));
        assertEquals(ThreadCpu.Part.LEARNING, ThreadCpu.part("shammah-memory-"));
        assertEquals(ThreadCpu.Part.LEARNING, ThreadCpu.part("Lucene Merge Th"));
        assertNull(ThreadCpu.part("ForkJoinPool-1-"));
        assertNull(ThreadCpu.part("shammah-log-aud"));
    }

    @Test
    void countsABusyLearningThreadOfThisProcess() throws Exception {
        ThreadCpu cpu = ThreadCpu.start(ProcessHandle.current().pid());
        Thread busy = Thread.ofPlatform().name("shammah-learner").start(() -> {
            long end = System.nanoTime() + 400_000_000L;
            long x = 0;
            while (System.nanoTime() < end) {
                x += x * 31 + 7;
            }
            if (x == 42) {
                System.out.println(x);
            }
        });
        busy.join();
        Thread.sleep(2 * ThreadCpu.SAMPLE_MILLIS); // the thread has ended: what the last sample saw of it stands
        ThreadCpu.Result r = cpu.stop();
        assertTrue(r.cpuSeconds() >= r.parts().get(ThreadCpu.Part.LEARNING), r.toString());
        assertTrue(r.parts().get(ThreadCpu.Part.LEARNING) >= 0.1, r.toString());
        assertTrue(r.share(ThreadCpu.Part.LEARNING) > 0 && r.servingShare() < 1, r.toString());
    }
}
