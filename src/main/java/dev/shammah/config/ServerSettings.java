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
 * @param apiKeysFile       a file of further client keys (one per line, {@code sha256:…} or plain), or null
 * @param adminKeys         keys for /metrics and /admin/* when auth is on
 * @param limits            request limits and rate limits
 * @param drainTimeout      on SIGTERM, how long in-flight requests and streams may take to finish
 * @param tls               HTTPS settings
 * @param auditLog          write the audit log ({@code data-dir/audit/YYYY-MM-DD.jsonl})
 */
public record ServerSettings(String host,
                             int port,
                             int maxSessions,
                             Duration sessionTimeout,
                             Duration reaperInterval,
                             boolean authEnabled,
                             List<String> apiKeys,
                             long maxBodyBytes,
                             java.nio.file.Path apiKeysFile,
                             List<String> adminKeys,
                             Limits limits,
                             Duration drainTimeout,
                             TlsSettings tls,
                             boolean auditLog) {
    public ServerSettings {
        apiKeys = List.copyOf(apiKeys);
        adminKeys = List.copyOf(adminKeys);
    }

    /**
     * @param maxMessages        most messages in one request
     * @param maxContentBlocks   most content blocks in one request, all messages together
     * @param maxTokensRequested largest {@code max_tokens} accepted
     * @param maxJsonDepth       deepest JSON nesting accepted
     * @param requestsPerMinute  per client key (or IP without auth); 0 = unlimited
     * @param tokensPerMinute    input + output tokens per client per minute; 0 = unlimited
     */
    public record Limits(int maxMessages, int maxContentBlocks, int maxTokensRequested, int maxJsonDepth,
                         int requestsPerMinute, int tokensPerMinute) {
    }

    /**
     * @param enabled    serve HTTPS
     * @param keystore   PKCS#12 keystore with the server's key and certificate
     * @param passphrase its passphrase
     */
    public record TlsSettings(boolean enabled, java.nio.file.Path keystore, String passphrase) {
        @Override
        public String toString() {
            return "TlsSettings[enabled=" + enabled + ", keystore=" + keystore + ", passphrase=<hidden>]";
        }
    }

    public String bindAddress() {
        return host + ":" + port;
    }
}
