package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The upstream every target forwards to: nginx answering {@code POST /v1/messages} with one fixed, valid Anthropic
 * message (JSON port) or one fixed, valid event stream (SSE port). It does no work per request, so whatever a
 * target adds above it is the target's own. It is not Claude: nothing here says how a real upstream behaves.
 */
final class FakeUpstream {
    /** The text of the fixed answer; a target's reply must contain it to count. */
    static final String ANSWER = "Fixed answer from the bench fake upstream.";

    private static final String MESSAGE = "{\"id\":\"msg_bench_fixed\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"" + Prompts.MODEL + "\",\"content\":[{\"type\":\"text\",\"text\":\"" + ANSWER + "\"}],"
            + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":9}}";

    private static final List<String[]> EVENTS = List.of(
            new String[] {"message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench_fixed\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + Prompts.MODEL + "\",\"content\":[],"
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}"},
            new String[] {"content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"},
            new String[] {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + ANSWER + "\"}}"},
            new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"},
            new String[] {"message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}"},
            new String[] {"message_stop", "{\"type\":\"message_stop\"}"});

    private final Process process;
    private final int jsonPort;
    private final int ssePort;

    private FakeUpstream(Process process, int jsonPort, int ssePort) {
        this.process = process;
        this.jsonPort = jsonPort;
        this.ssePort = ssePort;
    }

    /** Starts one nginx (one worker: it answers from memory) serving both ports. */
    static FakeUpstream start(Children children, Path nginx, Map<String, String> env, Path dir) throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        int json = Ports.free();
        int sse = Ports.free();
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, Nginx.prelude(dir, "1") + server(json, "application/json", MESSAGE)
                + server(sse, "text/event-stream", sse()) + "}\n");
        Process p = children.start(Nginx.command(nginx, dir, conf), env, dir, dir.resolve("nginx.log"));
        for (int port : new int[] {json, sse}) {
            if (!Children.awaitPort(p, port, Duration.ofSeconds(10))) {
                throw new IOException("the fake upstream (nginx) did not start: "
                        + Children.tail(dir.resolve("nginx.log"), 5) + " " + Children.tail(dir.resolve("error.log"), 5));
            }
        }
        return new FakeUpstream(p, json, sse);
    }

    private static String server(int port, String type, String body) {
        // nginx's `return` text: the JSON holds no quote, backslash or '$' that nginx would interpret.
        return """
                  server {
                    listen 127.0.0.1:%d;
                    location = /v1/messages {
                      default_type %s;
                      return 200 '%s';
                    }
                    location / { return 404; }
                  }
                """.formatted(port, type, body);
    }

    /** The event stream as one nginx string; {@code \n} is nginx's escape for a newline inside quotes. */
    private static String sse() {
        StringBuilder s = new StringBuilder();
        for (String[] e : EVENTS) {
            s.append("event: ").append(e[0]).append("\\ndata: ").append(e[1]).append("\\n\\n");
        }
        return s.toString();
    }

    int jsonPort() {
        return jsonPort;
    }

    int ssePort() {
        return ssePort;
    }

    Process process() {
        return process;
    }
}
