package dev.shammah.engine;

import java.time.Clock;
import java.time.Duration;

import dev.shammah.metrics.RequestLog;
import dev.shammah.metrics.RequestLogEntry;
import dev.shammah.routing.RouteDecision;

/** What one turn's request-log line will say: filled in as the turn goes, written once at the end. */
final class TurnLog {
    /** Logged status of a stream whose client went away before the end (nginx's convention). */
    static final int CLIENT_CLOSED = 499;

    final long start = System.nanoTime();
    final String requestId;
    private final MessagesRequest request;
    private final RequestLog requestLog;
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

    TurnLog(Turn turn, RequestLog requestLog, Clock clock, boolean storeText) {
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
        requestLog.append(new RequestLogEntry(clock.instant(), requestId, sessionId, dev.shammah.text.Sha256.hex(prompt),
                request.model(), route, streamed, status, Duration.ofNanos(System.nanoTime() - start).toMillis(),
                upstreamMs, inputTokens, outputTokens, null, d == null ? null : d.reason(),
                d == null ? null : d.match(), d == null || d.candidate() == null ? -1 : d.wrongRate(),
                storeText ? prompt : null));
    }
}
