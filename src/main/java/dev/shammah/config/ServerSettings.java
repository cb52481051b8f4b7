package dev.shammah.config;

import java.time.Duration;
import java.util.List;

/**
 * @param host              interface to bind
 * @param port              TCP port (0 picks a free one)
 * @param maxSessions       sessions kept at once; creating one more is a 429
 * @param sessionTimeout    idle time after which the reaper drops a session
 * @param reaperInterval    how often the reaper runs
 * @param authEnabled       require one of {@code apiKeys} on /v1 routes
 * @param apiKeys           accepted client keys
 * @param maxBodyBytes      largest request body accepted (413 above)
 */
public record ServerSettings(String host,
                             int port,
                             int maxSessions,
                             Duration sessionTimeout,
                             Duration reaperInterval,
                             boolean authEnabled,
                             List<String> apiKeys,
                             long maxBodyBytes) {
    public ServerSettings {
        apiKeys = List.copyOf(apiKeys);
    }

    public String bindAddress() {
        return host + ":" + port;
    }
}
