package dev.shammah.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.shammah.metrics.RequestLog;
import dev.shammah.metrics.RequestLogEntry;
import dev.shammah.metrics.Usage;
import dev.shammah.routing.RouteDecision;
import dev.shammah.text.Sha256;

/**
 * What one turn's request-log line will say: filled in as the turn goes, written once at the end — and counted
 * once in the tenant's {@link Usage}.
 */
final class TurnLog {
    /** Logged status of a stream whose client went away before the end (nginx's convention). */
    static final int CLIENT_CLOSED = 499;

    final long start = System.nanoTime();
    final String requestId;
    private final MessagesRequest request;
    private final RequestLog requestLog;
    private final Usage usage;
    private final String tenant;
    private final Clock clock;
    private final boolean storeText;
    String sessionId;
    int status = 500;
    long upstreamMs = -1;
    long inputTokens = -1;
    long outputTokens = -1;
    String route = EngineReply.RouteInfo.FORWARD;
    boolean streamed;
    Plan plan;

    TurnLog(Turn turn, RequestLog requestLog, Usage usage, Clock clock, boolean storeText) {
        this.usage = usage;
        this.tenant = turn.tenant();
        this.requestId = turn.requestId();
        this.request = turn.request();
        this.sessionId = turn.request().sessionId();
        this.requestLog = requestLog;
        this.clock = clock;
        this.storeText = storeText;
    }

    void write() {
        String prompt = PromptText.lastUserText(request.messages());
        RouteDecision d = plan == null ? null : plan.decision();
        Instant now = clock.instant();
        if (usage != null) {
            boolean local = EngineReply.RouteInfo.LOCAL.equals(route);
            Usage.Outcome outcome = status != 200 ? Usage.Outcome.REFUSED
                    : local ? Usage.Outcome.LOCAL : Usage.Outcome.FORWARDED;
            usage.record(now, tenant, request.model(), outcome, local && d != null ? d.reason() : null, inputTokens,
                    outputTokens);
        }
        requestLog.append(new RequestLogEntry(now, requestId, sessionId, Sha256.hex(prompt),
                request.model(), route, streamed, status, Duration.ofNanos(System.nanoTime() - start).toMillis(),
                upstreamMs, inputTokens, outputTokens, null, d == null ? null : d.reason(),
                d == null ? null : d.match(), d == null || d.candidate() == null ? -1 : d.wrongRate(),
                storeText ? prompt : null));
    }
}
