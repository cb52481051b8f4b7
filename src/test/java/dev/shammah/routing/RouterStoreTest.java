package dev.shammah.routing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class RouterStoreTest {
    @TempDir
    Path dir;

    @Test
    void savesAndLoadsAtomically() throws Exception {
        RouterStore store = new RouterStore(dir);
        RouterStats stats = RouterStats.empty().observe(7, true, false).observe(7, true, true).observe(3, false, true);
        store.save(stats, Map.of("e1", new int[] {2, 1}));
        RouterStore.Loaded loaded = new RouterStore(dir).load();
        assertThat(loaded.stats(), is(stats));
        assertThat(loaded.entries().get("e1")[0], is(2));
        assertThat(Files.exists(dir.resolve(".tmp-router.json")), is(false));
    }

    @Test
    void aMissingOrCorruptFileMeansNoEvidenceNotACrash() throws Exception {
        assertThat(new RouterStore(dir).load().stats(), is(RouterStats.empty()));
        Files.writeString(dir.resolve("router.json"), "{\"passes\": [1, 2");
        assertThat(new RouterStore(dir).load().stats(), is(RouterStats.empty()));
    }
}
