package dev.shammah.upstream;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.shammah.config.UpstreamSettings;
import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import io.helidon.common.socket.SocketOptions;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import jakarta.json.JsonObject;

/**
 * Calls the Anthropic Messages API (or anything speaking it) with Helidon WebClient. Blocking by design:
 * each request already runs on its own virtual thread.
 */
public final class ClaudeClient {
    private final UpstreamSettings settings;
    private final WebClient client;

    public ClaudeClient(UpstreamSettings settings) {
        this.settings = settings;
        this.client = WebClient.builder()
                .baseUri(settings.baseUrl())
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(settings.connectTimeout())
                        // Non-streaming answers arrive all at once after the model finishes, so the read
                        // timeout is the longest we wait for a whole answer.
                        .readTimeout(settings.timeout())
                        .build())
                .followRedirects(false)
                .build();
    }

    public UpstreamSettings settings() {
        return settings;
    }

    public boolean configured() {
        return settings.hasApiKey();
    }

    /**
     * POSTs a Messages request and returns whatever the upstream answered, error statuses included.
     *
     * @throws ShammahException 529 when the upstream cannot be reached, 504 when it does not answer in time
     */
    public UpstreamReply send(String path, JsonObject body, ForwardedHeaders headers) {
        byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        try (HttpClientResponse response = client.post(path)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.ACCEPT, "application/json")
                .header(HeaderNames.create("x-api-key"), settings.apiKey())
                .header(HeaderNames.create("anthropic-version"),
                        headers.anthropicVersion() != null ? headers.anthropicVersion() : settings.anthropicVersion())
                .headers(h -> {
                    if (headers.anthropicBeta() != null) {
                        h.set(HeaderNames.create("anthropic-beta"), headers.anthropicBeta());
                    }
                })
                .submit(payload)) {
            byte[] bytes = response.entity().inputStream().readAllBytes();
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            return new UpstreamReply(response.status().code(), bytes, passThroughHeaders(response), latency);
        } catch (java.io.IOException | UncheckedIOException e) {
            throw failure(e);
        } catch (RuntimeException e) {
            if (rootCause(e) instanceof java.io.IOException) {
                throw failure(e);
            }
            throw e;
        }
    }

    /** Headers a client of ours needs: the upstream's request id, and what tells it when to retry. */
    private static Map<String, String> passThroughHeaders(HttpClientResponse response) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Header h : response.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (name.equals("request-id")) {
                out.put("upstream-request-id", h.get());
            } else if (name.equals("retry-after") || name.startsWith("anthropic-ratelimit-")
                    || name.equals("x-should-retry")) {
                out.put(name, h.get());
            }
        }
        return out;
    }

    private ShammahException failure(Exception e) {
        Throwable root = rootCause(e);
        String where = settings.baseUrl().toString();
        if (root instanceof SocketTimeoutException) {
            return new ShammahException(ErrorType.GATEWAY_TIMEOUT, "Upstream " + where + " did not answer within "
                    + settings.timeout().toSeconds() + "s (upstream.timeout)", e);
        }
        if (root instanceof ConnectException || root instanceof UnknownHostException) {
            return new ShammahException(ErrorType.OVERLOADED, "Upstream " + where + " is unreachable ("
                    + root.getClass().getSimpleName() + ": " + root.getMessage() + "); check upstream.base-url "
                    + "and the network", e);
        }
        return new ShammahException(ErrorType.OVERLOADED, "Upstream " + where + " connection failed ("
                + root.getClass().getSimpleName() + ": " + root.getMessage() + ")", e);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }
}
