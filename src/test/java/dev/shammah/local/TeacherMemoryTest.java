package dev.shammah.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

class TeacherMemoryTest {
    @TempDir
    Path dir;

    private static Exchange exchange(String id, String tenant, String prompt, String answer) {
        return new Exchange(id, tenant, "ctx", prompt, "[{\"type\":\"text\",\"text\":\"" + answer + "\"}]",
                "end_turn", "claude-test", 5, Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static TeacherMemory.Keys keys(String tenant, String prompt) {
        return new TeacherMemory.Keys("scope-" + tenant, "shape-" + tenant + prompt, "core-" + tenant + prompt,
                List.of("span-" + tenant + prompt, "span-" + tenant + prompt + "-cut"));
    }

    @Test
    void findsExchangesByExactKeysAndSurvivesARestart() {
        try (TeacherMemory memory = new TeacherMemory(dir)) {
            memory.add(exchange("a", "t1", "How do I boil an egg?", "Boil it for 7 minutes."), keys("t1", "egg"));
            memory.add(exchange("b", "t1", "What is the capital of France?", "Paris."), keys("t1", "france"));
            memory.add(exchange("c", "t2", "How do I boil an egg?", "Another tenant's answer."), keys("t2", "egg"));
            memory.refresh();
            assertThat(memory.byShape("shape-t1egg").stream().map(Exchange::id).toList(), contains("a"));
            assertThat(memory.byCore("core-t2egg").stream().map(Exchange::id).toList(), contains("c"));
            assertThat(memory.bySpans(List.of("span-t1egg-cut", "span-t1france", "span-nothing")).stream()
                    .map(Exchange::id).toList(), contains("b", "a"));
            assertThat(memory.byShape("shape-none"), hasSize(0));
        }
        try (TeacherMemory reopened = new TeacherMemory(dir)) {
            assertThat(reopened.size(), is(3));
            Exchange b = reopened.byCore("core-t1france").get(0);
            assertThat(b.tenant(), is("t1"));
            assertThat(b.answer(), is("[{\"type\":\"text\",\"text\":\"Paris.\"}]"));
        }
    }

    @Test
    void aKeyEveryExchangeSharesReturnsTheNewestFirstAcrossSegmentsAndMerges() {
        try (TeacherMemory memory = new TeacherMemory(dir.resolve("memory"), Duration.ofHours(1))) {
            for (int i = 0; i < 300; i++) {
                var k = keys("t1", "q" + i);
                memory.add(exchange("e" + i, "t1", "q" + i, "a" + i), new TeacherMemory.Keys(k.scope(), k.shape(),
                        k.core(), List.of("span-common-tail", "span-t1q" + i)));
                if (i % 7 == 0) {
                    memory.refresh(); // a new segment now and then, so merges happen
                }
            }
            memory.refresh();
            assertThat(memory.bySpans(List.of("span-common-tail", "span-t1q298")).stream().map(Exchange::id)
                    .toList(), contains("e299", "e298", "e297", "e296", "e295", "e294", "e293", "e292"));
            assertThat(memory.bySpans(List.of("span-t1q3")).stream().map(Exchange::id).toList(), contains("e3"));
        }
    }

    @Test
    void anAddedExchangeIsFoundByTheNextLookupAndDurableWithinTheCommitInterval() throws Exception {
        Path memoryDir = dir.resolve("memory");
        TeacherMemory memory = new TeacherMemory(memoryDir, Duration.ofMillis(200));
        memory.add(exchange("a", "t1", "q1", "a1"), keys("t1", "q1"));
        assertThat("found at once, no refresh asked for", memory.byShape("shape-t1q1"), hasSize(1));
        memory.add(exchange("b", "t1", "q2", "a2"), keys("t1", "q2"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        // Span lookups (the learner's) do not reopen the index: they see what the last interval made visible.
        while (memory.bySpans(List.of("span-t1q2-cut")).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat("visible to span lookups within the interval", memory.bySpans(List.of("span-t1q2-cut")),
                hasSize(1));
        int committed = 0;
        while (committed < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            // Read the directory as another process would after a kill -9: only commits count.
            try (var reader = org.apache.lucene.index.DirectoryReader.open(FSDirectory.open(memoryDir))) {
                committed = reader.numDocs();
            } catch (org.apache.lucene.index.IndexNotFoundException notYet) {
                committed = 0;
            }
        }
        assertThat("committed within the interval", committed, is(2));
        memory.close();
    }

    @Test
    void listsAndDeletesPerTenantAndOneByOneDurably() throws Exception {
        Path memoryDir = dir.resolve("memory");
        try (TeacherMemory memory = new TeacherMemory(memoryDir, Duration.ofHours(1))) {
            memory.add(exchange("a", "t1", "q1", "a1"), keys("t1", "q1"));
            memory.add(exchange("b", "t1", "q2", "a2"), keys("t1", "q2"));
            memory.add(exchange("c", "t2", "q1", "a3"), keys("t2", "q1"));
            memory.refresh();
            assertThat(memory.tenants().stream().map(t -> t.tenant() + "=" + t.exchanges()).toList(),
                    contains("t1=2", "t2=1"));
            assertThat(memory.list("t1", 0, 10).stream().map(Exchange::id).toList(), contains("a", "b"));
            assertThat(memory.list("t1", 1, 10).stream().map(Exchange::id).toList(), contains("b"));
            assertThat("another tenant's id is not found", memory.delete("t2", "a"), is(false));
            assertThat(memory.delete("t1", "a"), is(true));
            assertThat(memory.byShape("shape-t1q1"), hasSize(0));
            assertThat(memory.deleteTenant("t2"), contains("c"));
            assertThat(memory.size(), is(1));
            // A deletion is committed before it returns, whatever the commit interval.
            try (var reader = org.apache.lucene.index.DirectoryReader.open(FSDirectory.open(memoryDir))) {
                assertThat(reader.numDocs(), is(1));
            }
        }
    }

    @Test
    void anIndexOfTheEmbeddingEraIsReKeyedNotLost() throws Exception {
        Path memoryDir = dir.resolve("memory");
        Files.createDirectories(memoryDir);
        // What the previous version wrote: FORMAT 2, keys without spans, an embedding per exchange.
        try (IndexWriter w = new IndexWriter(FSDirectory.open(memoryDir), new IndexWriterConfig())) {
            for (String id : List.of("old1", "old2")) {
                Document d = new Document();
                d.add(new StringField("id", id, Field.Store.YES));
                d.add(new StringField("tenant", "t1", Field.Store.YES));
                d.add(new StringField("context", "ctx", Field.Store.YES));
                d.add(new StringField("scope", "scope-t1", Field.Store.NO));
                d.add(new StringField("shape", "old-shape-" + id, Field.Store.NO));
                d.add(new StringField("core", "old-core-" + id, Field.Store.NO));
                d.add(new StoredField("prompt", "prompt " + id));
                d.add(new KnnFloatVectorField("vector", new float[] {1, 0, 0}));
                d.add(new StoredField("answer", "[]"));
                d.add(new StoredField("stop_reason", "end_turn"));
                d.add(new StoredField("model", "m"));
                d.add(new StoredField("output_tokens", 3L));
                d.add(new StoredField("created_at", "2026-01-01T00:00:00Z"));
                w.addDocument(d);
            }
            w.commit();
        }
        Files.writeString(memoryDir.resolve("FORMAT"), "2");
        try (TeacherMemory memory = new TeacherMemory(memoryDir)) {
            assertThat(memory.needsKeys(), is(true));
            // A migration may also drop what may no longer be kept (null keys): here, old2.
            memory.rekey(e -> e.id().equals("old2") ? null : new TeacherMemory.Keys("scope-t1",
                    "shape-" + e.prompt(), "core-" + e.prompt(), List.of("span-" + e.prompt())));
            assertThat(memory.size(), is(1));
            assertThat(memory.bySpans(List.of("span-prompt old1", "span-prompt old2")).stream().map(Exchange::id)
                    .toList(), containsInAnyOrder("old1"));
            assertThat(memory.byShape("old-shape-old1"), hasSize(0));
        }
        try (TeacherMemory again = new TeacherMemory(memoryDir)) {
            assertThat("re-keyed once", again.needsKeys(), is(false));
            assertThat(again.byCore("core-prompt old1"), hasSize(1));
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
