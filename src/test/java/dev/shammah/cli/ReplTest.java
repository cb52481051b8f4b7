package dev.shammah.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import dev.shammah.App;
import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.TestConfigs;
import jakarta.json.JsonArray;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** The REPL driven through a JLine dumb terminal over in-memory streams. */
class ReplTest {
    static final FakeAnthropic UPSTREAM = FakeAnthropic.start();

    @TempDir
    Path data;

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private String converse(String input) throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (App app = App.create(TestConfigs.forUpstream(UPSTREAM.baseUrl(), data, Map.of()), Clock.systemUTC());
             // DumbTerminal reads its input synchronously; the external terminal's pump thread would race
             // the line reader for an in-memory stream.
             Terminal terminal = new DumbTerminal("test", "dumb",
                     new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), screen, StandardCharsets.UTF_8)) {
            int code = Terminals.repl(app.engine(), app.learning(), app.config(), terminal, data);
            assertThat(code, is(0));
        }
        return screen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void holdsAConversationAcrossTurns() throws Exception {
        UPSTREAM.reset();
        String screen = converse("I am Ada\nwho am I?\n/session\n/quit\n");
        assertThat(screen, containsString("echo: I am Ada"));
        assertThat(screen, containsString("echo: who am I?"));
        assertThat(screen, containsString("2 turns, 4 messages"));
        JsonArray second = UPSTREAM.last().body().getJsonArray("messages");
        assertThat(second, hasSize(3));
        assertThat(second.getJsonObject(0).getString("content"), is("I am Ada"));
        assertThat(Files.readString(data.resolve("history")), containsString("who am I?"));
    }

    @Test
    void clearStartsANewConversationAndUnknownCommandsAreExplained() throws Exception {
        UPSTREAM.reset();
        String screen = converse("first\n/clear\n/bogus\nsecond\n");   // ends with EOF, like Ctrl-D
        assertThat(screen, containsString("New conversation."));
        assertThat(screen, containsString("Unknown command /bogus"));
        assertThat(UPSTREAM.last().body().getJsonArray("messages"), hasSize(1));
    }

    @Test
    void errorsAreShownAndTheReplCarriesOn() throws Exception {
        UPSTREAM.reset();
        UPSTREAM.failNext(400, "invalid_request_error", "prompt is too long", Map.of());
        String screen = converse("one\ntwo\n/quit\n");
        assertThat(screen, containsString("error: HTTP 400 invalid_request_error: prompt is too long"));
        assertThat(screen, containsString("echo: two"));
    }
}
