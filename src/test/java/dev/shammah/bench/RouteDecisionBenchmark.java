package dev.shammah.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.shammah.local.Exchange;
import dev.shammah.local.MiniLmEncoder;
import dev.shammah.local.TeacherMemory;
import dev.shammah.routing.RouteDecision;
import dev.shammah.routing.Router;
import dev.shammah.routing.RouterStats;
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
 * The route decision, measured with JMH: the router's own work on five neighbours ({@code decide}), and the
 * whole decision for a new prompt — embedding it and searching a memory of 1,000 exchanges ({@code plan}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RouteDecisionBenchmark {
    private Router router;
    private List<TeacherMemory.Neighbour> neighbours;
    private float[] query;
    private MiniLmEncoder encoder;
    private TeacherMemory memory;
    private Path dir;
    private int i;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        int[] passes = new int[RouterStats.BANDS];
        java.util.Arrays.fill(passes, 50);
        router = new Router(0.97, 0.75, 10, 0.05, new RouterStats(passes, new int[RouterStats.BANDS], 0), Map.of(),
                () -> 0.5);
        encoder = MiniLmEncoder.shared();
        dir = Files.createTempDirectory("shammah-jmh");
        memory = new TeacherMemory(dir);
        for (int n = 0; n < 1000; n++) {
            String p = "Question number " + n + " about topic " + (n % 37) + ": what should I know?";
            memory.add(new Exchange("e" + n, "ctx", p, "[{\"type\":\"text\",\"text\":\"Answer " + n + "\"}]",
                    "end_turn", "m", 3, Instant.EPOCH), encoder.embed(p));
        }
        query = encoder.embed("Question number 17 about topic 17: what should I know?");
        neighbours = memory.nearest(query, "ctx", 5);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        memory.close();
    }

    @Benchmark
    public RouteDecision decide() {
        return router.decide("Question number 17 about topic 17: what should I know?", query, neighbours);
    }

    @Benchmark
    public RouteDecision plan() {
        String prompt = "Question number " + (i++ % 1000) + " about topic 3: what should I know, please?";
        float[] e = encoder.embed(prompt);
        return router.decide(prompt, e, memory.nearest(e, "ctx", 5));
    }
}
