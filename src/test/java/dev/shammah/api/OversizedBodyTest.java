package dev.shammah.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * A client that writes a whole body over {@code server.max-body-bytes} and only then reads — as most HTTP clients
 * do — gets the 413 and its reason, not a reset connection. Refused unread, the body's last bytes met a closed
 * socket and the server's kernel reset the connection, which could throw away the 413 before the client read it.
 */
class OversizedBodyTest {
    static final int LIMIT = 64 * 1024;
    static FakeAnthropic upstream;
    static RunningApp app;

    @BeforeAll
    static void start() {
        upstream = FakeAnthropic.start();
        app = RunningApp.start(upstream.baseUrl(), Map.of("server.max-body-bytes", Integer.toString(LIMIT),
                "server.read-timeout", "2s"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        app.close();
        upstream.close();
    }

    private static String body(int bytes) {
        String head = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"";
        String tail = "\"}]}";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }

    /** Writes all of {@code raw}, waits long enough for any reset to arrive, then reads the answer. */
    private static String answer(byte[] raw) throws IOException {
        try (Socket s = new Socket("127.0.0.1", app.uri("/").getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(raw);
            out.flush();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return readAnswer(s.getInputStream());
        }
    }

    /** One answer: its head, and its body to the length the head declares. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            got.write(b);
            String text = got.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            var length = Pattern.compile("(?i)content-length: (\\d+)").matcher(text);
            if (end > 0 && length.find() && text.length() - end - 4 >= Integer.parseInt(length.group(1))) {
                break;
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private static void assert413(String name, String text) {
        assertThat(name, text, containsString("HTTP/1.1 413"));
        String json = text.substring(text.indexOf("\r\n\r\n") + 4);
        assertThat(name, JsonText.parse(json).getJsonObject("error").getString("type"), is("request_too_large"));
        assertThat(name, JsonText.parse(json).getJsonObject("error").getString("message"),
                containsString("server.max-body-bytes"));
    }

    @Test
    void aDeclaredLengthOverTheLimitIsReadAwayAndThe413Arrives() throws IOException {
        int before = upstream.received().size();
        for (int i = 0; i < 3; i++) {
            String body = body(LIMIT * 3 / 2);
            String raw = "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body;
            assert413("content-length, try " + i, answer(raw.getBytes(StandardCharsets.US_ASCII)));
        }
        assertThat("nothing went upstream", upstream.received().size(), is(before));
    }

    /** The JDK's client writes the body while the server answers; it saw resets ("header parser received no bytes"). */
    @Test
    void theJdkClientGetsThe413EveryTime() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 30; i++) {
            java.net.http.HttpResponse<String> res = client.send(java.net.http.HttpRequest.newBuilder(
                    app.uri("/v1/messages")).header("content-type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body(LIMIT * 3 / 2))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat("try " + i, res.statusCode(), is(413));
        }
    }

    /** Read to its end, the refused body leaves the connection framed: the next request on it is answered. */
    @Test
    void theConnectionCarriesAnotherRequestAfterThe413() throws IOException {
        String big = body(LIMIT * 3 / 2);
        String small = body(200);
        String head = "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
        try (Socket s = new Socket("127.0.0.1", app.uri("/").getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write((head + "Content-Length: " + big.length() + "\r\n\r\n" + big).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assert413("first", readAnswer(s.getInputStream()));
            out.write((head + "Content-Length: " + small.length() + "\r\n\r\n" + small)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String second = readAnswer(s.getInputStream());
            assertThat(second, second.startsWith("HTTP/1.1 200"), is(true));
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIsReadAwayAndThe413Arrives() throws IOException {
        String body = body(LIMIT * 3 / 2);
        StringBuilder chunks = new StringBuilder();
        for (int at = 0; at < body.length(); at += 8192) {
            String piece = body.substring(at, Math.min(body.length(), at + 8192));
            chunks.append(Integer.toHexString(piece.length())).append("\r\n").append(piece).append("\r\n");
        }
        chunks.append("0\r\n\r\n");
        String raw = "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + chunks;
        assert413("chunked", answer(raw.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Far past the limit, the body is not waited for: a client that declares gigabytes gets its 413 at once. */
    @Test
    void aDeclaredLengthFarOverTheLimitIs413WithoutWaitingForIt() throws IOException {
        long start = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", app.uri("/").getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + "application/json\r\nContent-Length: 2000000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            String text = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assert413("huge content-length", text);
        }
        assertThat("answered before the read timeout (2 s here)", (System.nanoTime() - start) / 1_000_000,
                lessThan(1500L));
    }
}
