package dev.shammah.session;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/** The queue eviction reads implicit sessions from holds no more than a few stores' worth, whatever leaves how. */
class SessionStoreTest {
    private static String stored(SessionStore store) {
        SessionLease lease = store.open(null, "owner", "client");
        try {
            lease.record(List.of(JsonValue.EMPTY_JSON_OBJECT), JsonValue.EMPTY_JSON_OBJECT, 1, 1);
            return lease.id();
        } finally {
            lease.close();
        }
    }

    @Test
    void sessionsDeletedBeforeAnyEvictionDoNotPileUpInTheEvictionQueue() {
        SessionStore store = new SessionStore(3, Duration.ofMinutes(5), Clock.systemUTC(), SessionListener.NONE);
        for (int i = 0; i < 500; i++) {
            assertThat(store.delete(stored(store), "owner"), is(true));
        }
        assertThat(store.size(), is(0));
        assertThat(store.implicitQueued(), lessThanOrEqualTo(2 * 3 + 16 + 1));
    }

    @Test
    void aFullStoreEvictsTheOldestImplicitSession() {
        SessionStore store = new SessionStore(3, Duration.ofMinutes(5), Clock.systemUTC(), SessionListener.NONE);
        String first = stored(store);
        String second = stored(store);
        stored(store);
        stored(store);
        assertThat(store.size(), is(3));
        assertThat(store.find(first, "owner").isPresent(), is(false));
        assertThat(store.find(second, "owner").isPresent(), is(true));
        assertThat("an evicted session is remembered as gone", store.gone(first, "owner"), is(true));
    }
}
