package dev.shammah.store;

import dev.shammah.routing.Evidence;

/** One change read from the shared store, with its change number, applied to this instance's copies. */
sealed interface Change {
    long seq();

    void apply(LocalCopies copies);

    record Learned(ExchangeRows.Row row) implements Change {
        public long seq() {
            return row.seq();
        }

        public void apply(LocalCopies copies) {
            copies.learned(row);
        }
    }

    record Counted(long seq, String tenant, String subject, Evidence.Counts counts) implements Change {
        public void apply(LocalCopies copies) {
            copies.counted(seq, tenant, subject, counts);
        }
    }

    record Blocked(long seq, String tenant, String shape) implements Change {
        public void apply(LocalCopies copies) {
            copies.blocked(tenant, shape);
        }
    }

    record Agreed(long seq, String tenant, String instance, double score) implements Change {
        public void apply(LocalCopies copies) {
            copies.agreed(tenant, instance, score);
        }
    }

    record Forgotten(long seq, String tenant, String exchangeId) implements Change {
        public void apply(LocalCopies copies) {
            copies.forgotten(tenant, exchangeId);
        }
    }
}
