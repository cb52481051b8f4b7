package dev.shammah.session;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sessions that expired or were evicted, and when, so that a client coming back gets 404 "expired", never a silently
 * empty conversation. Bounded: the newest {@code max(1000, 10 × server.max-sessions)} are remembered.
 */
public final class GoneSessions {
    private final Map<String, Instant> gone;
    private final int remembered;

    public GoneSessions(int maxSessions) {
        this.remembered = remembered(maxSessions);
        this.gone = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                return size() > remembered;
            }
        });
    }

    /** How many are remembered at most for {@code server.max-sessions} (a shared store keeps as many rows). */
    public static int remembered(int maxSessions) {
        return Math.max(1000, maxSessions * 10);
    }

    public void put(String key, Instant when) {
        gone.put(key, when);
    }

    /** When the session went; null when it did not (as far as the record goes). */
    public Instant when(String key) {
        return gone.get(key);
    }

    public void remove(String key) {
        gone.remove(key);
    }
}
