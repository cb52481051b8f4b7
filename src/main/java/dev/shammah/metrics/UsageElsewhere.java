package dev.shammah.metrics;

import java.time.Instant;
import java.util.List;

/**
 * What the other instances sharing a store counted ({@code store.kind: postgres}): their rows for a report, and
 * their teacher spend for a budget, which holds across instances.
 */
public interface UsageElsewhere {
    /** An instance on its own: nobody else counts. */
    UsageElsewhere NONE = new UsageElsewhere() {
        @Override
        public List<Usage.Row> rows(Usage.Filter filter) {
            return List.of();
        }

        @Override
        public long spentMicros(String tenant, Instant since) {
            return 0;
        }
    };

    /**
     * The other instances' rows that match, as they last wrote them (several rows may share a key: one per instance).
     *
     * @throws RuntimeException when they cannot be read now
     */
    List<Usage.Row> rows(Usage.Filter filter);

    /**
     * What {@code tenant}'s teacher calls on the other instances cost from {@code since} (a UTC midnight) on, in
     * millionths, as last read: it never waits on the store, so it may be a second behind.
     */
    long spentMicros(String tenant, Instant since);
}
