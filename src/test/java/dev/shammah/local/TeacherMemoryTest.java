package dev.shammah.local;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

class TeacherMemoryTest {
    static MiniLmEncoder encoder;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        encoder = new MiniLmEncoder();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    private static Exchange exchange(String id, String context, String prompt, String answer) {
        return new Exchange(id, context, prompt, "[{\"type\":\"text\",\"text\":\"" + answer + "\"}]", "end_turn",
                "claude-test", 5, Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void findsTheNearestExchangeInTheSameContextAndSurvivesARestart() {
        try (TeacherMemory memory = new TeacherMemory(dir)) {
            memory.add(exchange("a", "ctx1", "How do I boil an egg?", "Boil it for 7 minutes."),
                    encoder.embed("How do I boil an egg?"));
            memory.add(exchange("b", "ctx1", "What is the capital of France?", "Paris."),
                    encoder.embed("What is the capital of France?"));
            memory.add(exchange("c", "ctx2", "How do I boil an egg?", "In another context."),
                    encoder.embed("How do I boil an egg?"));
            List<TeacherMemory.Neighbour> near = memory.nearest(encoder.embed("how do i boil an egg"), "ctx1", 2);
            assertThat(near.get(0).exchange().id(), is("a"));
            assertThat(near.get(0).cosine() > 0.9, is(true));
            assertThat(near, hasSize(2));
        }
        try (TeacherMemory reopened = new TeacherMemory(dir)) {
            assertThat(reopened.size(), is(3));
            TeacherMemory.Neighbour n = reopened.nearest(encoder.embed("What is the capital of France?"), "ctx1", 1)
                    .get(0);
            assertThat(n.exchange().id(), is("b"));
            assertThat(n.cosine(), closeTo(1.0, 1e-4));
            assertThat(n.exchange().answer(), is("[{\"type\":\"text\",\"text\":\"Paris.\"}]"));
            assertThat(reopened.nearest(encoder.embed("anything"), "no-such-context", 3), hasSize(0));
        }
    }
}
