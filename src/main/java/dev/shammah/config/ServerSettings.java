package dev.shammah.config;

import java.nio.file.Path;
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
 * @param network           what the HTTP layer accepts before a request reaches Shammah
 * @param maxSessionsPerClient sessions one client (key, or address without auth) may hold; past it its own least
 *                          recently used one makes room
 */
public record ServerSettings(String host,
                             int port,
                             int maxSessions,
                             Duration sessionTimeout,
                             Duration reaperInterval,
                             boolean authEnabled,
                             List<String> apiKeys,
                             long maxBodyBytes,
                             Path apiKeysFile,
                             List<String> adminKeys,
                             Limits limits,
                             Duration drainTimeout,
                             TlsSettings tls,
                             boolean auditLog,
                             Network network,
                             int maxSessionsPerClient) {
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
    public record TlsSettings(boolean enabled, Path keystore, String passphrase) {
        @Override
        public String toString() {
            return "TlsSettings[enabled=" + enabled + ", keystore=" + keystore + ", passphrase=<hidden>]";
        }
    }

    /**
     * @param readTimeout    longest silence while a request is being received (headers or body): a client that
     *                       stops sending gets 408 rather than holding a connection for ever
     * @param allowedHosts   with auth off, the Host names accepted besides the bound address and loopback names
     *                       (DNS rebinding protection); "*" accepts any
     * @param allowedOrigins browser origins allowed to call the API (an {@code Origin} header from anywhere else
     *                       is refused, so a web page cannot drive the daemon)
     */
    public record Network(Duration readTimeout, List<String> allowedHosts, List<String> allowedOrigins) {
        public Network {
            allowedHosts = List.copyOf(allowedHosts);
            allowedOrigins = List.copyOf(allowedOrigins);
        }
    }

    public String bindAddress() {
        return host + ":" + port;
    }
}
