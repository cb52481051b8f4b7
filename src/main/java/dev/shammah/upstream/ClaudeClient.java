package dev.shammah.upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import dev.shammah.config.UpstreamSettings;
import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.socket.SocketOptions;
import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.faulttolerance.CircuitBreakerOpenException;
import io.helidon.faulttolerance.Retry;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import jakarta.json.JsonObject;

/**
 * Calls the Anthropic API (or anything speaking it) with Helidon WebClient. Blocking by design: each request
 * already runs on its own virtual thread. Transient failures are retried here, before the caller has sent
 * anything to its client; once a stream is handed out, nothing is retried.
 */
public final class ClaudeClient {
    /** Statuses worth another try: the upstream or a proxy in front of it is briefly unwell. */
    private static final Set<Integer> RETRYABLE = Set.of(502, 503, 504, 529);

    private final UpstreamSettings settings;
    /** Failures turned into what a client is told, and which of them are retried. */
    private final UpstreamFailures failures;
    private final WebClient client;
    private final Retry retry;
    private final CircuitBreaker breaker;
    /**
     * Closes a response whose body is still arriving when its deadline passes (an answer dripped byte by byte).
     * Shared by every client in the process: one daemon thread, not one per client left running after it.
     */
    private static final DeadlineTimers DEADLINES = DeadlineTimers.create("shammah-upstream-deadline");

    /** Timers waiting to fire; tests check that finished calls leave none behind. */
    static int pendingDeadlines() {
        return DEADLINES.pending();
    }

    public ClaudeClient(UpstreamSettings settings) {
        this.settings = settings;
        this.failures = new UpstreamFailures(settings);
        this.client = WebClient.builder()
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(settings.connectTimeout())
                        // Non-streaming answers arrive all at once after the model finishes; streams send
                        // pings. Either way this is the longest silence we accept.
                        .readTimeout(settings.timeout())
                        // Small request writes and event-sized reads: Nagle would only add delay.
                        .tcpNoDelay(true)
                        .build())
                .followRedirects(false)
                .build();
        this.retry = Retry.builder()
                .retryPolicy(new BackoffWithJitter(settings.maxRetries(), settings.retryDelay(), Duration.ofSeconds(8)))
                .applyOn(Set.of(UpstreamFailures.Transient.class))
                // Helidon's default overall limit (1 s) would cut retries of slow calls short.
                .overallTimeout(settings.timeout().multipliedBy(settings.maxRetries() + 1L).plusMinutes(1))
                .build();
        this.breaker = CircuitBreaker.builder()
                .volume(settings.breakerVolume())
                .errorRatio(settings.breakerErrorRatio())
                .delay(settings.breakerDelay())
                .successThreshold(1)
                .build();
    }

    /**
     * Runs a call (its retries included) through the circuit breaker. An unreachable upstream and 5xx/529
     * answers count as failures; once they pass the configured ratio, calls fail at once with a 529 until the
     * breaker's delay has passed, so a dead upstream costs clients nothing but a quick error.
     */
    private <T> T guarded(Supplier<T> call, ToIntFunction<T> status) {
        try {
            return breaker.invoke(() -> {
                T result = call.get();
                if (status.applyAsInt(result) >= 500) {
                    throw new CountedFailure(result);
                }
                return result;
            });
        } catch (CountedFailure e) {
            @SuppressWarnings("unchecked")
            T result = (T) e.result;
            return result;
        } catch (CircuitBreakerOpenException e) {
            throw new ShammahException(ErrorType.OVERLOADED, "Upstream " + settings.baseUrl() + " keeps failing; calls "
                    + "are paused for up to " + settings.breakerDelay().toSeconds() + " s (upstream.circuit-breaker)",
                    Map.of("retry-after", Long.toString(Math.max(1, settings.breakerDelay().toSeconds()))), e);
        }
    }

    /** A 5xx answer, carried through the breaker as a failure and handed back to the caller unchanged. */
    private static final class CountedFailure extends RuntimeException {
        final transient Object result;

        CountedFailure(Object result) {
            super("upstream 5xx", null, false, false);
            this.result = result;
        }
    }

    public UpstreamSettings settings() {
        return settings;
    }

    /** Whether a call with these headers has a key to send. */
    public boolean canCall(ForwardedHeaders headers) {
        return settings.hasApiKey() || (settings.forwardClientKey() && headers.clientKey() != null);
    }

    /**
     * Sends a request and returns the upstream's complete answer, error statuses included.
     *
     * @param pathAndQuery e.g. {@code /v1/messages?beta=true}; the query string is kept
     * @param body         JSON body, or null for a GET
     * @throws ShammahException 529 when the upstream cannot be reached, 504 when it does not answer in time
     */
    public UpstreamReply send(Method method, String pathAndQuery, JsonObject body, ForwardedHeaders headers) {
        byte[] payload = body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        return guarded(() -> withRetries(() -> {
            long start = System.nanoTime();
            try (HttpClientResponse response = call(method, pathAndQuery, payload, headers, false)) {
                return checked(readFully(response, start, deadline));
            }
        }, reply -> reply), UpstreamReply::status);
    }

    /** {@code POST pathAndQuery} with a JSON body: the complete answer (see {@link #send}). */
    public UpstreamReply post(String pathAndQuery, JsonObject body, ForwardedHeaders headers) {
        return send(Method.POST, pathAndQuery, body, headers);
    }

    /**
     * Opens a streaming Messages call. Retries happen only while nothing has been received; the returned
     * stream must be closed.
     */
    public UpstreamStream stream(String pathAndQuery, JsonObject body, ForwardedHeaders headers) {
        byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
        return guarded(() -> withRetries(() -> {
            long start = System.nanoTime();
            HttpClientResponse response = call(Method.POST, pathAndQuery, payload, headers, true);
            String type = response.headers().contentType().map(c -> c.mediaType().text()).orElse("");
            if (response.status().code() == 200 && type.startsWith("text/event-stream")) {
                return UpstreamStream.open(response, BodyStream.of(response), passThroughHeaders(response));
            }
            try (response) {
                return UpstreamStream.refused(checked(readFully(response, start,
                        start + settings.timeout().toNanos())));
            }
        }, UpstreamStream::refused), s -> s.refusal() == null ? 200 : s.refusal().status());
    }

    private HttpClientResponse call(Method method, String pathAndQuery, byte[] payload, ForwardedHeaders headers,
                                    boolean sse) {
        HttpClientRequest request = client.method(method)
                .uri(resolve(pathAndQuery))
                .header(HeaderNames.ACCEPT, sse ? "text/event-stream" : "application/json")
                .header(HeaderNames.create("anthropic-version"),
                        headers.anthropicVersion() != null ? headers.anthropicVersion() : settings.anthropicVersion());
        if (headers.anthropicBeta() != null) {
            request.header(HeaderNames.create("anthropic-beta"), headers.anthropicBeta());
        }
        if (settings.forwardClientKey() && headers.clientKey() != null) {
            if (headers.clientUsedBearer()) {
                request.header(HeaderNames.AUTHORIZATION, "Bearer " + headers.clientKey());
            } else {
                request.header(HeaderNames.create("x-api-key"), headers.clientKey());
            }
        } else {
            request.header(HeaderNames.create("x-api-key"), settings.apiKey());
        }
        try {
            if (payload == null) {
                return request.request();
            }
            request.header(HeaderNames.CONTENT_TYPE, "application/json");
            return request.submit(payload);
        } catch (UncheckedIOException | DataReader.InsufficientDataAvailableException e) {
            throw failures.connectionFailure(e);
        } catch (IllegalStateException e) {
            if (UpstreamFailures.garbledStatusLine(e)) {
                // Helidon 4.2 watches a pooled connection while it idles with a thread that reads one byte; when
                // a reused connection's answer arrives as that thread stops, the answer's first byte is lost
                // (helidon-io/helidon#10861) and its status line cannot be read — 41 of 817,457 calls in one
                // 150 s run under wrk. Nothing of that answer is usable, so it is retried like a connection
                // failure: what a client would do with the 502 otherwise, and never a bare 500.
                throw new UpstreamFailures.UnreachableAfterRetries(new UpstreamFailures.GarbledAnswer(e));
            }
            if (UpstreamFailures.rootCause(e) instanceof IOException) {
                throw failures.connectionFailure(e);
            }
            throw e;
        } catch (RuntimeException e) {
            if (UpstreamFailures.rootCause(e) instanceof IOException) {
                throw failures.connectionFailure(e);
            }
            UnknownHostException unresolved = failures.unresolvedHost(e);
            if (unresolved != null) {
                throw failures.connectionFailure(new UncheckedIOException(unresolved));
            }
            throw e;
        }
    }

    /** {@code base-url} may carry a path prefix (a gateway), so paths are appended rather than resolved. */
    private URI resolve(String pathAndQuery) {
        String base = settings.baseUrl().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + pathAndQuery);
    }

    /**
     * Reads a whole answer by {@code deadlineNanos}: {@code upstream.timeout} bounds the entire call, not each read,
     * so an answer dripped byte by byte cannot hold a request for ever.
     */
    private UpstreamReply readFully(HttpClientResponse response, long startNanos, long deadlineNanos) {
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> timer = DEADLINES.schedule(() -> {
            expired.set(true);
            response.close();
        }, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        try {
            byte[] bytes = BodyStream.of(response).readAllBytes();
            if (expired.get()) {
                throw failures.timeout(null);
            }
            return new UpstreamReply(response.status().code(), bytes, passThroughHeaders(response),
                    Duration.ofNanos(System.nanoTime() - startNanos));
        } catch (IOException | RuntimeException e) {
            if (e instanceof ShammahException s) {
                throw s;
            }
            throw expired.get() ? failures.timeout(e) : failures.failure(e);
        } finally {
            timer.cancel(false);
        }
    }

    /** Throws a retryable status so {@link #withRetries} tries again; anything else is the answer. */
    private static UpstreamReply checked(UpstreamReply reply) {
        if (RETRYABLE.contains(reply.status())) {
            throw new UpstreamFailures.RefusedAfterRetries(reply);
        }
        return reply;
    }

    /**
     * Runs {@code attempt} under the retry policy. Out of retries, a retryable status becomes the answer as
     * the upstream gave it ({@code onRefused}) and a refused connection becomes a 529.
     */
    private <T> T withRetries(Supplier<T> attempt, Function<UpstreamReply, T> onRefused) {
        try {
            return retry.invoke(attempt);
        } catch (UpstreamFailures.RefusedAfterRetries e) {
            return onRefused.apply(e.reply);
        } catch (UpstreamFailures.UnreachableAfterRetries e) {
            throw failures.failure(e.getCause());
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
}
