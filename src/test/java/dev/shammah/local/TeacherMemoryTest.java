package dev.shammah.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
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

    private static Exchange exchange(String id, String tenant, String prompt, String answer) {
        return new Exchange(id, tenant, "ctx", prompt, "[{\"type\":\"text\",\"text\":\"" + answer + "\"}]",
                "end_turn", "claude-test", 5, Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static TeacherMemory.Keys keys(String tenant, String prompt) {
        return new TeacherMemory.Keys("scope-" + tenant, "shape-" + tenant + prompt, "core-" + tenant + prompt);
    }

    @Test
    void findsExchangesByExactKeyAndByNeighbourWithinOneScopeAndSurvivesARestart() {
        try (TeacherMemory memory = new TeacherMemory(dir)) {
            memory.add(exchange("a", "t1", "How do I boil an egg?", "Boil it for 7 minutes."),
                    encoder.embed("How do I boil an egg?"), keys("t1", "egg"));
            memory.add(exchange("b", "t1", "What is the capital of France?", "Paris."),
                    encoder.embed("What is the capital of France?"), keys("t1", "france"));
            memory.add(exchange("c", "t2", "How do I boil an egg?", "Another tenant's answer."),
                    encoder.embed("How do I boil an egg?"), keys("t2", "egg"));
            assertThat(memory.byShape("shape-t1egg").stream().map(Exchange::id).toList(), contains("a"));
            assertThat(memory.byCore("core-t2egg").stream().map(Exchange::id).toList(), contains("c"));
            List<TeacherMemory.Neighbour> near = memory.nearest(encoder.embed("how do i boil an egg"), "scope-t1", 5);
            assertThat(near.get(0).exchange().id(), is("a"));
            assertThat(near, hasSize(2));
        }
        try (TeacherMemory reopened = new TeacherMemory(dir)) {
            assertThat(reopened.size(), is(3));
            TeacherMemory.Neighbour n = reopened.nearest(encoder.embed("What is the capital of France?"), "scope-t1", 1)
                    .get(0);
            assertThat(n.exchange().id(), is("b"));
            assertThat(n.exchange().tenant(), is("t1"));
            assertThat(n.cosine(), closeTo(1.0, 1e-4));
            assertThat(n.exchange().answer(), is("[{\"type\":\"text\",\"text\":\"Paris.\"}]"));
            assertThat(reopened.nearest(encoder.embed("anything"), "no-such-scope", 3), hasSize(0));
        }
    }

    @Test
    void listsAndDeletesPerTenantAndOneByOne() {
        float[] v = encoder.embed("x");
        try (TeacherMemory memory = new TeacherMemory(dir)) {
            memory.add(exchange("a", "t1", "q1", "a1"), v, keys("t1", "q1"));
            memory.add(exchange("b", "t1", "q2", "a2"), v, keys("t1", "q2"));
            memory.add(exchange("c", "t2", "q1", "a3"), v, keys("t2", "q1"));
            assertThat(memory.tenants().stream().map(t -> t.tenant() + "=" + t.exchanges()).toList(),
                    contains("t1=2", "t2=1"));
            assertThat(memory.list("t1", 0, 10).stream().map(Exchange::id).toList(), contains("a", "b"));
            assertThat(memory.list("t1", 1, 10).stream().map(Exchange::id).toList(), contains("b"));
            assertThat("another tenant's id is not found", memory.delete("t2", "a"), is(false));
            assertThat(memory.delete("t1", "a"), is(true));
            assertThat(memory.byShape("shape-t1q1"), hasSize(0));
            assertThat(memory.deleteTenant("t2"), contains("c"));
            assertThat(memory.size(), is(1));
        }
    }

    @Test
    void anIndexFromBeforeTenantsIsSetAsideNotServed() throws Exception {
        Path memoryDir = dir.resolve("memory");
        Files.createDirectories(memoryDir);
        Files.writeString(memoryDir.resolve("segments_1"), "an old index");
        try (TeacherMemory memory = new TeacherMemory(memoryDir)) {
            assertThat(memory.size(), is(0));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.anyMatch(p -> p.getFileName().toString().startsWith("memory.v1-")), is(true));
        }
        try (TeacherMemory again = new TeacherMemory(memoryDir)) {
            assertThat("a current index is kept", again.size(), is(0));
        }
    }
}
