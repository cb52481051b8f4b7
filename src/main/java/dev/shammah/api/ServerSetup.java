package dev.shammah.api;

import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import dev.shammah.config.ConfigException;
import dev.shammah.config.ServerSettings;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.health.HealthCheck;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/**
 * How the web server is set up for Shammah, apart from the app's wiring: the keystore, the connection options that
 * answer hostile and slow clients, the HTTP layer's own refusals in Anthropic's shape, and /metrics and health.
 */
public final class ServerSetup {
    private ServerSetup() {
    }

    /**
     * Sets up {@code server} for {@code settings}: TLS, bind address, drain, connection handling, the observe
     * feature (/metrics and Helidon's health endpoints, with {@code checks}) and the routes.
     */
    public static void configure(WebServerConfig.Builder server, ServerSettings settings, List<HealthCheck> checks,
                                 Consumer<HttpRouting.Builder> routing) {
        ServerSettings.TlsSettings tls = settings.tls();
        if (tls.enabled()) {
            String alias = keyAlias(tls);
            Keys keys = Keys.builder().keystore(store -> store
                    .keystore(Resource.create(tls.keystore()))
                    .passphrase(tls.passphrase().toCharArray())
                    .keyAlias(alias)
                    .certChainAlias(alias))
                    .build();
            server.tls(t -> t.privateKey(keys).privateKeyCertChain(keys));
        }
        server.host(settings.host())
                .port(settings.port())
                // On stop, in-flight requests and open streams get this long to finish.
                .shutdownGracePeriod(settings.drainTimeout())
                // SSE writes are small: without TCP_NODELAY, Nagle and delayed ACKs hold events back ~40 ms.
                // A client that stops sending mid-request is answered 408 after server.read-timeout.
                .connectionOptions(o -> o.tcpNoDelay(true))
                // A chunked body is refused as soon as its chunk sizes pass the drain limit (a chunk declared at
                // 7fffffff is 413 at once, not a 408 after waiting for two gigabytes that never come); a
                // content-length over it is refused the same way before a byte of the body is read. Between
                // server.max-body-bytes and that limit, JsonBodies reads the body away and then refuses it.
                .maxPayloadSize(JsonBodies.drainLimit(settings.maxBodyBytes()))
                // A connection that sends nothing for server.read-timeout between requests — or bytes that never
                // make a request line — is closed (checked every second); a request in progress is not cut.
                .idleConnectionTimeout(settings.network().readTimeout())
                .idleConnectionPeriod(Duration.ofSeconds(1))
                // Bytes that cannot start an HTTP request (TLS on the plain port, say) are closed at once.
                .protocolsDiscoverServices(false)
                .addConnectionSelector(new HttpFirstByte(io.helidon.webserver.http1
                        .Http1ConnectionSelector.builder().config(Http1Config.create())
                        .build()))
                // Refusals made by the HTTP layer itself get Anthropic-shaped bodies too.
                .directHandlers(d -> {
                    TransportErrors errors = new TransportErrors(settings.maxBodyBytes());
                    for (DirectHandler.EventType t : DirectHandler.EventType.values()) {
                        d.addHandler(t, errors);
                    }
                })
                // Observe (and anything else) is registered here explicitly, never discovered.
                .featuresDiscoverServices(false)
                .addFeature(ObserveFeature.builder()
                        .endpoint("/")
                        .addObserver(HealthObserver.builder()
                                .endpoint("health/checks")
                                .details(true)
                                .useSystemServices(false)
                                .addHealthChecks(checks)
                                .build())
                        .addObserver(MetricsObserver.create())
                        .build())
                .routing(routing);
    }

    /**
     * The keystore's first private-key entry: keytool names it whatever {@code -alias} said, and Helidon would
     * otherwise look for an alias "1".
     */
    public static String keyAlias(ServerSettings.TlsSettings tls) {
        try (var in = Files.newInputStream(tls.keystore())) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, tls.passphrase().toCharArray());
            for (String a : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(a)) {
                    return a;
                }
            }
            throw new ConfigException("Invalid configuration: server.tls.keystore holds no private key");
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("Invalid configuration: cannot open server.tls.keystore "
                    + tls.keystore() + " (" + e.getMessage() + ")", e);
        }
    }
}
