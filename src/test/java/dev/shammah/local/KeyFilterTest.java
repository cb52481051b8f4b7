package dev.shammah.local;

import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/** The key filter grows without re-reading the index, never forgets a key, and keeps its false positives low. */
class KeyFilterTest {
    @Test
    void growingPastItsSizeKeepsEveryKeyAndFewFalsePositives() throws Exception {
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
             IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
            writer.commit();
            KeyFilter filter;
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                filter = new KeyFilter(List.of("shape"), reader);
            }
            assertThat(filter.stages(), is(1));
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < 350_000; i++) {
                batch.add("stored-" + i);
                if (batch.size() == 20) {
                    filter.add(batch);
                    batch.clear();
                }
            }
            assertThat("sized for 100,000 at first: it grew", filter.stages(), greaterThan(1));
            for (int i = 0; i < 350_000; i++) {
                assertThat(filter.mightContain("stored-" + i), is(true));
            }
            int maybes = 0;
            for (int i = 0; i < 100_000; i++) {
                if (filter.mightContain("never-" + i)) {
                    maybes++;
                }
            }
            assertThat("false positives over all its filters, of 100,000 keys never added", maybes, lessThan(1_000));
        }
    }
}
