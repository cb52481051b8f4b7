package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latency at concurrency 1, paired: one keep-alive connection to the fake upstream (the direct baseline) and one to
 * the target, used in turn request by request — which of the two goes first alternates — so whatever else the
 * machine does in that second lands on both sides alike. Every request carries a fresh prompt.
 */
final class PairedLatency {
    /**
     * Where requests go: a port, the path, and the headers that tell a gateway where to send them on;
     * {@code openAi} when the requests are OpenAI's Chat Completions (same body, another path and answer shape).
     */
    record Endpoint(int port, String path, Map<String, String> headers, boolean openAi, String expectHeader,
                    String expectValue) {
        Endpoint(int port, String path, Map<String, String> headers, boolean openAi) {
            this(port, path, headers, openAi, null, null);
        }

        /**
         * The same, each measured answer required to carry {@code header: value} ({@code x-cache: HIT} from nginx's
         * cache, {@code x-shammah-route: local} from Shammah): an answer that came from elsewhere is an error.
         */
        Endpoint expecting(String header, String value) {
            return new Endpoint(port, path, headers, openAi, header, value);
        }

        /** What every client sends (as an Anthropic SDK would), plus a peer's own headers. */
        static Endpoint of(int port, Map<String, String> extra) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("content-type", "application/json");
            h.put("x-api-key", "sk-bench-client");
            h.put("anthropic-version", "2023-06-01");
            h.putAll(extra);
            return new Endpoint(port, "/v1/messages", java.util.Collections.unmodifiableMap(h), false);
        }

        /** What an OpenAI SDK sends to {@code /v1/chat/completions}. */
        static Endpoint openAi(int port) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("content-type", "application/json");
            h.put("authorization", "Bearer sk-bench-client");
            return new Endpoint(port, "/v1/chat/completions", java.util.Collections.unmodifiableMap(h), true);
        }
    }

    /**
     * One block's figures: JSON latency (whole answer) or, for streams, time to the first {@code event:} line.
     * {@code overheadHeader} holds Shammah's own {@code x-shammah-overhead-ms}, where the target sent it.
     */
    record Result(Samples direct, Samples target, Samples overheadHeader, int errors, String firstError,
            Map<String, Integer> routes, int reconnects, Samples directWhole, Samples targetWhole) {
    }

    private static final int GIVE_UP_AFTER_ERRORS_IN_A_ROW = 20;

    private PairedLatency() {
    }

    static Result run(Endpoint direct, Endpoint target, Prompts prompts, boolean stream, int warmup, int pairs) {
        Samples d = new Samples();
        Samples t = new Samples();
        Samples overhead = new Samples();
        Samples dw = new Samples();
        Samples tw = new Samples();
        Map<String, Integer> routes = new TreeMap<>();
        int errors = 0;
        int inARow = 0;
        String firstError = null;
        try (KeepAliveConnection dc = new KeepAliveConnection(direct.port());
                KeepAliveConnection tc = new KeepAliveConnection(target.port())) {
            for (int i = 0; i < warmup + pairs; i++) {
                boolean measured = i >= warmup;
                boolean directFirst = i % 2 == 0;
                for (int side = 0; side < 2; side++) {
                    boolean isDirect = (side == 0) == directFirst;
                    Endpoint e = isDirect ? direct : target;
                    KeepAliveConnection c = isDirect ? dc : tc;
                    String problem;
                    try {
                        KeepAliveConnection.Response r = c.post(e.path(), e.headers(), prompts.next(stream));
                        problem = problem(r, stream, e.openAi());
                        if (problem == null && measured && e.expectHeader() != null
                                && !e.expectValue().equals(r.headers().get(e.expectHeader()))) {
                            problem = "not answered from the store: " + e.expectHeader() + ": "
                                    + r.headers().get(e.expectHeader());
                        }
                        if (problem == null && measured) {
                            (isDirect ? d : t).add(stream ? r.firstEventNanos() : r.nanos());
                            (isDirect ? dw : tw).add(r.nanos());
                            String oh = r.headers().get("x-shammah-overhead-ms");
                            if (oh != null && !isDirect) {
                                overhead.add((long) (Double.parseDouble(oh) * 1e6));
                            }
                            String route = r.headers().get("x-shammah-route");
                            if (route != null && !isDirect) {
                                routes.merge(route, 1, Integer::sum);
                            }
                        }
                    } catch (IOException | RuntimeException ex) {
                        c.close();
                        problem = ex.getClass().getSimpleName() + ": " + ex.getMessage();
                    }
                    if (problem == null) {
                        inARow = 0;
                        continue;
                    }
                    errors++;
                    if (firstError == null) {
                        firstError = (isDirect ? "direct: " : "") + problem;
                    }
                    if (++inARow >= GIVE_UP_AFTER_ERRORS_IN_A_ROW) {
                        return new Result(d, t, overhead, errors, firstError + " (block stopped after "
                                + inARow + " errors in a row)", routes, dc.reconnects() + tc.reconnects(), dw, tw);
                    }
                }
            }
            return new Result(d, t, overhead, errors, firstError, routes, dc.reconnects() + tc.reconnects(), dw, tw);
        }
    }

    /** Null when the answer is the fake's, passed through; else what is wrong with it. */
    static String problem(KeepAliveConnection.Response r, boolean stream) {
        return problem(r, stream, false);
    }

    /** As {@link #problem(KeepAliveConnection.Response, boolean)}, for an answer in OpenAI's shape when asked. */
    static String problem(KeepAliveConnection.Response r, boolean stream, boolean openAi) {
        String body = r.text();
        if (!r.ok()) {
            return "HTTP " + r.status() + " " + abbreviate(body);
        }
        if (openAi) {
            if (stream ? r.firstEventNanos() < 0 || !body.contains("data: [DONE]")
                    : !body.contains("\"finish_reason\":\"stop\"") || !body.contains(FakeUpstream.ANSWER)) {
                return "not the fake's answer in OpenAI's shape: " + abbreviate(body);
            }
            return null;
        }
        if (stream) {
            if (r.firstEventNanos() < 0 || !body.contains("message_stop")) {
                return "stream without events or without message_stop: " + abbreviate(body);
            }
        } else if (!body.contains("\"end_turn\"") || !body.contains(FakeUpstream.ANSWER)) {
            return "not the fake's message: " + abbreviate(body);
        }
        return null;
    }

    static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() > 160 ? one.substring(0, 160) + "…" : one;
    }
}
