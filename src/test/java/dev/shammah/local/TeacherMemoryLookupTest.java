package dev.shammah.local;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * Remembered exact lookups never outlive a change: an exchange added, replaced or deleted after a key was looked up
 * shows in the next lookup of that key, as it did before lookups were remembered.
 */
class TeacherMemoryLookupTest {
    @TempDir
    Path dir;

    private static Exchange exchange(String id, String answer) {
        return new Exchange(id, "t", "ctx", "What is 2+2?", "[{\"type\":\"text\",\"text\":\"" + answer + "\"}]",
                "end_turn", "claude-test", 5, Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void aRememberedLookupSeesEveryLaterChange() {
        try (TeacherMemory memory = new TeacherMemory(dir)) {
            TeacherMemory.Keys keys = new TeacherMemory.Keys("scope", "shape-1", "core-1", List.of("core-1"));
            assertThat(memory.byShape("shape-1"), is(empty()));
            Exchange first = exchange("e1", "4");
            memory.add(first, keys);
            assertThat("added after a lookup of its key", memory.byShape("shape-1"), hasSize(1));
            assertThat("asked again: the same", memory.byShape("shape-1").get(0).id(), is("e1"));
            memory.add(exchange("e2", "four"), keys);
            assertThat("newest first", memory.byShape("shape-1").get(0).id(), is("e2"));
            assertThat(memory.delete("t", "e2"), is(true));
            assertThat("a forgotten exchange is not found again", memory.byShape("shape-1").get(0).id(), is("e1"));
            memory.put(exchange("e1", "Four."), keys);
            assertThat("a replaced exchange is read anew", RecallModel.text(memory.byShape("shape-1").get(0)),
                    is("Four."));
            memory.clear();
            assertThat(memory.byShape("shape-1"), is(empty()));
            assertThat(memory.byCore("core-1"), is(empty()));
        }
    }

    /**
     * Only a lookup that could find something written since the reader was opened re-opens it: under a flood of new
     * prompts the others (the key filter's false positives, an id stored long ago) re-opened the index each time.
     */
    @Test
    void onlyALookupOfAKeyWrittenSinceReopensTheReader() {
        try (TeacherMemory memory = new TeacherMemory(dir, java.time.Duration.ofHours(1))) {
            memory.add(exchange("old", "4"), new TeacherMemory.Keys("scope", "shape-old", "core-old",
                    List.of("core-old")));
            memory.refresh();
            memory.add(exchange("new", "four"), new TeacherMemory.Keys("scope", "shape-new", "core-new",
                    List.of("core-new")));
            assertThat(memory.byShape("shape-old"), hasSize(1));
            assertThat(memory.get("t", "old").isPresent(), is(true));
            assertThat("neither lookup needed what was written since", memory.index().unrefreshed(), is(true));
            assertThat("a key written since is found at once", memory.byShape("shape-new").get(0).id(), is("new"));
            assertThat(memory.index().unrefreshed(), is(false));
            memory.add(exchange("newer", "Four."), new TeacherMemory.Keys("scope", "shape-newer", "core-newer",
                    List.of("core-newer")));
            assertThat("an id written since is found at once", memory.get("t", "newer").isPresent(), is(true));
            assertThat(memory.get("t", "gone").isPresent(), is(false));
        }
    }
}
