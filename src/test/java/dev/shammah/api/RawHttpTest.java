package dev.shammah.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.RunningApp;
import jakarta.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/**
 * Malformed HTTP on a raw socket, as a hostile client sends it: every request the server can read as HTTP gets a
 * 4xx with an Anthropic-shaped JSON body (never a 5xx, an empty body, a Java class name, or no answer), and bytes
 * that are not HTTP get the connection closed.
 */
class RawHttpTest {
    static FakeAnthropic upstream;
    static RunningApp app;
    static final String BODY = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    /** The server, started on first use: the JUnit tests and the jqwik property run in two engines. */
    static synchronized int port() {
        if (app == null) {
            upstream = FakeAnthropic.start();
            app = RunningApp.start(upstream.baseUrl(), Map.of("server.read-timeout", "1s"), Clock.systemUTC());
        }
        return app.uri("/").getPort();
    }

    @AfterContainer
    static void stopForJqwik() {
        stop();
    }

    @org.junit.jupiter.api.AfterAll
    static synchronized void stop() {
        if (app != null) {
            app.close();
            upstream.close();
            app = null;
        }
    }

    /** The status line and body of the answer to {@code raw}, or "closed" / "timeout". */
    static String[] send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String[] send(byte[] raw) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(raw);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    got.write(buf, 0, n);
                    String text = got.toString(StandardCharsets.UTF_8);
                    int end = text.indexOf("\r\n\r\n");
                    if (end > 0) {
                        var m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(text);
                        if (m.find() && text.length() - end - 4 >= Integer.parseInt(m.group(1))) {
                            break;
                        }
                    }
                }
            } catch (SocketTimeoutException e) {
                return new String[] {"timeout", got.toString(StandardCharsets.UTF_8)};
            } catch (IOException e) {
                // reset: counted as closed
            }
            String text = got.toString(StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                return new String[] {"closed", ""};
            }
            int end = text.indexOf("\r\n\r\n");
            return new String[] {text.substring(0, text.indexOf("\r\n")), end < 0 ? "" : text.substring(end + 4)};
        }
    }

    private static String post(String headers, String body) {
        return "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + headers
                + "\r\n" + body;
    }

    static void assertAnthropic4xx(String name, String[] answer) {
        assertThat(name + ": " + answer[0], answer[0].startsWith("HTTP/1.1 4"), is(true));
        JsonObject json = JsonText.parse(answer[1]);
        assertThat(name, json.getString("type"), is("error"));
        assertThat(name, json.getJsonObject("error").getString("message"), not(containsString("Exception")));
        assertThat(name, json.getJsonObject("error").getString("message"), not(containsString("java.")));
    }

    /**
     * A short chunked body with a size that is not hexadecimal is a 400 at once, and the connection closes: behind
     * "zz" the next line ("abc") parses as a size, and draining the body after the failed read used to wait for
     * those 2,748 bytes until the read timeout, then answer 408.
     */
    @Test
    void aShortMalformedChunkedBodyIs400AtOnceAndTheConnectionCloses() throws IOException {
        port();
        int before = upstream.received().size();
        for (String body : new String[] {"zz\r\nabc\r\n0\r\n\r\n", "g\r\nabc\r\n0\r\n\r\n",
                "zz;\r\nabc\r\n0\r\n\r\n"}) {
            String[] answer = send(post("Transfer-Encoding: chunked\r\n", body));
            assertThat(body, answer[0], is("HTTP/1.1 400 Bad Request"));
            assertAnthropic4xx(body, answer);
            assertThat(answer[1], containsString("Malformed chunked request body"));
        }
        assertThat("nothing forwarded", upstream.received().size(), is(before));
        // The same connection is not kept for another request: its unread bytes cannot frame one.
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(post("Transfer-Encoding: chunked\r\n", "zz\r\nabc\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                s.getInputStream().transferTo(got);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("not closed; got: " + got.toString(StandardCharsets.ISO_8859_1));
            }
            String reply = got.toString(StandardCharsets.ISO_8859_1);
            assertThat(reply, containsString("HTTP/1.1 400 "));
            assertThat(reply.toLowerCase(java.util.Locale.ROOT), containsString("connection: close"));
        }
    }

    /** A chunk declared larger than server.max-body-bytes is refused at once, not waited for until the read timeout. */
    @Test
    void aChunkOverTheBodyLimitIs413AtOnce() throws IOException {
        long start = System.nanoTime();
        String[] answer = send(post("Transfer-Encoding: chunked\r\n", "7fffffff\r\n" + BODY + "\r\n0\r\n\r\n"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(answer[1], answer[0], is("HTTP/1.1 413 Request Entity Too Large"));
        assertAnthropic4xx("huge chunk", answer);
        assertThat(JsonText.parse(answer[1]).getJsonObject("error").getString("message"),
                containsString("server.max-body-bytes"));
        assertThat("answered before the read timeout (1 s here)", millis, lessThan(900L));
    }

    /** Bytes past ASCII in a header passed upstream are refused, not sent on as "?" (nothing reaches the upstream). */
    @Test
    void aNonAsciiAnthropicVersionIsA400() throws IOException {
        port();
        int before = upstream.received().size();
        for (String header : new String[] {"anthropic-version: 2023-06-01\u00e9", "anthropic-beta: tools-\u00ff"}) {
            String[] answer = send(post(header + "\r\nContent-Length: " + BODY.length() + "\r\n", BODY));
            assertThat(header, answer[0], is("HTTP/1.1 400 Bad Request"));
            assertAnthropic4xx(header, answer);
            assertThat(JsonText.parse(answer[1]).getJsonObject("error").getString("message"),
                    containsString(header.substring(0, header.indexOf(':')) + ": must be ASCII"));
        }
        assertThat("nothing forwarded", upstream.received().size(), is(before));
        String[] plain = send(post("anthropic-version: 2023-06-01\r\nContent-Length: " + BODY.length() + "\r\n",
                BODY));
        assertThat(plain[0], is("HTTP/1.1 200 OK"));
    }

    @Test
    void everyClassOfMalformedRequestIsA4xxInAnthropicsShape() throws IOException {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("HTTP/1.0", "POST /v1/messages HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: "
                + BODY.length() + "\r\n\r\n" + BODY);
        cases.put("chunk extension", post("Transfer-Encoding: chunked\r\n", Integer.toHexString(BODY.length())
                + ";ext=1\r\n" + BODY + "\r\n0\r\n\r\n"));
        cases.put("bad chunk size", post("Transfer-Encoding: chunked\r\n", "zz\r\n" + BODY + "\r\n0\r\n\r\n"));
        cases.put("oversized chunk size", post("Transfer-Encoding: chunked\r\n", "ffffffffffffffff\r\n" + BODY
                + "\r\n0\r\n\r\n"));
        cases.put("negative content-length", post("Content-Length: -1\r\n", BODY));
        cases.put("non-numeric content-length", post("Content-Length: abc\r\n", BODY));
        cases.put("two content-lengths", post("Content-Length: " + BODY.length() + "\r\nContent-Length: 5\r\n", BODY));
        cases.put("header over 16 KB", "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000)
                + "\r\n\r\n");
        cases.put("5,000 headers", "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "X-H: v\r\n".repeat(5000) + "\r\n");
        cases.put("NUL in a header", "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\u0000b\r\n\r\n");
        cases.put("control character in a header", "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\u0001b\r\n\r\n");
        cases.put("illegal query characters", "GET /v1/models?a=<>{}| HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        cases.put("URI over 8 KB", "GET /v1/models?" + "a".repeat(9000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        cases.put("bare LF", "POST /v1/messages HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\n"
                + "Content-Length: " + BODY.length() + "\n\n" + BODY);
        cases.put("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        cases.put("unknown content-encoding", post("Content-Encoding: gzip\r\nContent-Length: " + BODY.length() + "\r\n",
                BODY));
        String huge = BODY.replace("\"max_tokens\":5", "\"max_tokens\":" + "9".repeat(1200));
        cases.put("number literal of 1,200 digits", post("Content-Length: " + huge.length() + "\r\n", huge));
        cases.put("text/plain (a cross-site form)", "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                + "text/plain\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY);
        cases.put("foreign Host (DNS rebinding)", "POST /v1/messages HTTP/1.1\r\nHost: evil.example\r\nContent-Type: "
                + "application/json\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY);
        cases.put("foreign Origin", post("Origin: https://evil.example\r\nContent-Length: " + BODY.length() + "\r\n",
                BODY));
        cases.put("short body (stops sending)", post("Content-Length: 500\r\n", BODY));
        cases.put("truncated chunk", post("Transfer-Encoding: chunked\r\n", "100\r\n" + BODY));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            long start = System.nanoTime();
            String[] answer = send(c.getValue());
            assertAnthropic4xx(c.getKey(), answer);
            assertThat(c.getKey() + " answered within the read timeout", (System.nanoTime() - start) / 1_000_000,
                    lessThan(3000L));
        }
        assertThat("count_tokens too", send("POST /v1/messages/count_tokens HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + huge.length() + "\r\n\r\n" + huge)[0],
                containsString(" 400 "));
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheReadTimeout() throws IOException {
        long start = System.nanoTime();
        assertThat(send(new byte[0])[0], is("closed"));
        // server.read-timeout is 1 s here; the idle check runs every second, and depending on where in its period the
        // connection came it closed as early as 860 ms (seen twice in a row). What matters is that it waited for the
        // idle check at all, not closed at once as noise is (bytesThatAreNotHttpGetTheConnectionClosed: well under that).
        assertThat((System.nanoTime() - start) / 1_000_000, both(greaterThanOrEqualTo(500L)).and(lessThan(3500L)));
    }

    @Test
    void bytesThatAreNotHttpGetTheConnectionClosed() throws IOException {
        byte[] tls = new byte[311];
        tls[0] = 0x16;
        tls[1] = 0x03;
        tls[2] = 0x01;
        long start = System.nanoTime();
        String[] answer = send(tls);
        assertThat(answer[0], answer[0], is("closed"));
        // At once: not after the idle timeout (server.read-timeout, 1 s here, checked every second).
        assertThat((System.nanoTime() - start) / 1_000_000, lessThan(900L));
        for (byte[] noise : new byte[][] {{0}, {(byte) 0xff, 'G', 'E', 'T'}, {'\r', '\n'}, {' ', 'G'}}) {
            start = System.nanoTime();
            assertThat(send(noise)[0], is("closed"));
            assertThat((System.nanoTime() - start) / 1_000_000, lessThan(900L));
        }
    }

    @Test
    void anAbortedUploadIsA499NotA500() throws Exception {
        // The metrics registry is one per JVM, so other suites' deliberate upstream 500s are in it too:
        // compare counts before and after rather than looking for the absence of a 500.
        double serverErrorsBefore = count(app.get("/metrics").body(), "500");
        double abortsBefore = count(app.get("/metrics").body(), "499");
        for (int i = 0; i < 20; i++) {
            try (Socket s = new Socket("127.0.0.1", port())) {
                s.getOutputStream().write(post("Content-Length: 5000\r\n", BODY.substring(0, 20))
                        .getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                s.setSoLinger(true, 0); // close with a reset, as a killed client does
            }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        String metrics = app.get("/metrics").body();
        while (System.nanoTime() < deadline && count(metrics, "499") < abortsBefore + 20) {
            Thread.sleep(50);
            metrics = app.get("/metrics").body();
        }
        // A reset can land before the server has read the headers; those never become requests at all.
        assertThat(count(metrics, "499"), greaterThan(abortsBefore));
        assertThat(count(metrics, "500"), is(serverErrorsBefore));
    }

    /** Sum of shammah_requests_total for POST /v1/messages with this status. */
    private static double count(String metrics, String status) {
        return metrics.lines()
                .filter(l -> l.startsWith("shammah_requests_total") && l.contains("/v1/messages")
                        && l.contains("status=\"" + status + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Provide
    Arbitrary<byte[]> mutations() {
        byte[] valid = post("Content-Length: " + BODY.length() + "\r\n", BODY).getBytes(StandardCharsets.ISO_8859_1);
        return Arbitraries.integers().between(0, valid.length - 1).list().ofMinSize(1).ofMaxSize(4)
                .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size()).map(values -> {
                    byte[] m = valid.clone();
                    for (int i = 0; i < positions.size(); i++) {
                        m[positions.get(i)] = values.get(i);
                    }
                    return m;
                }));
    }

    @Property(tries = 60)
    void aMangledRequestIsNeverAnsweredWithA5xx(@ForAll("mutations") byte[] raw) throws IOException {
        String[] answer = send(raw);
        if (answer[0].startsWith("HTTP/")) {
            int status = Integer.parseInt(answer[0].split(" ")[1]);
            assertThat(answer[0], status, both(greaterThanOrEqualTo(200)).and(lessThan(500)));
            if (status >= 400) {
                assertAnthropic4xx("mutation", answer);
            }
        }
    }
}
