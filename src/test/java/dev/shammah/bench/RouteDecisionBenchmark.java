package dev.shammah.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import dev.shammah.local.Exchange;
import dev.shammah.local.TeacherMemory;
import dev.shammah.routing.Courtesy;
import dev.shammah.routing.Equivalence;
import dev.shammah.routing.Evidence;
import dev.shammah.routing.MemoryKeys;
import dev.shammah.routing.PromptForm;
import dev.shammah.routing.RouteDecision;
import dev.shammah.routing.Router;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The route decision, measured with JMH over a memory of 1,000 exchanges: canonicalising the prompt and the
 * router's exact-key lookups for a repeat ({@code same}), a courtesy rewording ({@code wrapped}) and a request
 * never seen ({@code miss}). No embedding is on this path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RouteDecisionBenchmark {
    private Router router;
    private Courtesy courtesy;
    private TeacherMemory memory;
    private Path dir;
    private int i;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        courtesy = Courtesy.builtIn();
        dir = Files.createTempDirectory("shammah-jmh");
        memory = new TeacherMemory(dir);
        Evidence evidence = new Evidence();
        for (int n = 0; n < 30; n++) {
            evidence.recordKind("default", "pre:hi", true);
        }
        router = new Router(memory, evidence, new Equivalence(courtesy), 0.001);
        for (int n = 0; n < 1000; n++) {
            String p = "Question number " + n + " about topic " + (n % 37) + ": what should I know?";
            memory.add(new Exchange("e" + n, "default", "ctx", p, "[{\"type\":\"text\",\"text\":\"Answer " + n
                    + "\"}]", "end_turn", "m", 3, Instant.EPOCH),
                    MemoryKeys.of("default", "ctx", PromptForm.of(p, courtesy)));
        }
        memory.refresh();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        memory.close();
    }

    private RouteDecision decide(String prompt) {
        return router.decide("default", "ctx", PromptForm.of(prompt, courtesy), false);
    }

    @Benchmark
    public RouteDecision same() {
        return decide("Question number " + (i++ % 1000) + " about topic 3: what should I know?");
    }

    @Benchmark
    public RouteDecision wrapped() {
        return decide("Hi! Question number " + (i++ % 1000) + " about topic 3: what should I know?");
    }

    @Benchmark
    public RouteDecision miss() {
        return decide("Something else entirely, number " + (i++ % 1000) + ", never asked before?");
    }
}
