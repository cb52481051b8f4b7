package dev.shammah.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.shammah.App;
import dev.shammah.cli.tools.LocalSite;
import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.TestConfigs;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** The REPL's slash commands, tool loop with approvals, remembered patterns and Ctrl-C. */
class ReplAgentTest {
    static final FakeAnthropic UPSTREAM = FakeAnthropic.start();

    @TempDir
    Path data;

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    @BeforeEach
    void reset() {
        UPSTREAM.reset();
    }

    private String session(String input) throws Exception {
        return session(input, Map.of());
    }

    private String session(String input, Map<String, String> config) throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (App app = App.create(TestConfigs.forUpstream(UPSTREAM.baseUrl(), data, config), Clock.systemUTC());
             Terminal terminal = new DumbTerminal("test", "dumb",
                     new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), screen, StandardCharsets.UTF_8)) {
            assertThat(Terminals.repl(app.engine(), app.learning(), app.config(), terminal, data), is(0));
        }
        return screen.toString(StandardCharsets.UTF_8);
    }

    /** With learning on, /training also says what observing other words for remembered questions has shown. */
    @Test
    void trainingShowsObservedRewordings() throws Exception {
        String screen = session("""
                How can I improve my English speaking?
                What should I do to improve my speaking in English?
                /training
                /quit
                """, Map.of("learning.enabled", "true", "learning.verify-rate", "0"));
        assertThat(screen, containsString("learning on"));
        assertThat(screen, containsString("other words for a remembered question (observed after forwards; served "
                + "once the evidence allows): "));
    }

    @Test
    void slashCommandsAnswerFromTheRealState() throws Exception {
        String screen = session("""
                hello there
                /metrics
                /training
                /model
                /patterns add bash git status*
                /patterns
                /patterns remove 1
                /patterns
                /local what is new?
                /forward hello there
                /bogus
                /quit
                """);
        assertThat(screen, containsString("echo: hello there"));
        assertThat(screen, containsString("forwarded (local share"));
        assertThat(screen, containsString("this session's latency: local none yet; claude p50"));
        assertThat("the kept totals, as shammah usage prints them", screen, containsString("kept usage: 1 requests, "
                + "0 local (0.0%), 1 forwarded, 0 refused"));
        assertThat(screen, containsString("learning off"));
        assertThat(screen, containsString("recall (shammah-recall)"));
        assertThat(screen, containsString("Remembered: bash git status*"));
        assertThat(screen, containsString("1. bash git status*"));
        assertThat(screen, containsString("Removed."));
        assertThat(screen, containsString("No remembered tool approvals."));
        assertThat(screen, containsString("error: No local answer for this request"));
        assertThat(screen, containsString("Unknown command /bogus. Type /help for the list."));
        assertThat(UPSTREAM.received("/v1/messages").size(), is(2));
    }

    @Test
    void aToolCallRunsOnlyWithApprovalAndADenialReachesTheModel() throws Exception {
        String screen = session("""
                call tool: bash echo approved-run
                y
                call tool: bash echo denied-run
                n
                /quit
                """);
        assertThat(screen, containsString("[tool] bash -c echo approved-run"));
        assertThat(screen, containsString("[tool ok] exit code: 0 stdout: approved-run"));
        assertThat(screen, containsString("[tool] bash -c echo denied-run"));
        assertThat(screen, containsString("[tool failed] The user denied this tool call."));
        assertThat(screen, not(containsString("stdout: denied-run")));
        // The model got both results as tool_result blocks, in the session, after its tool_use.
        JsonObject last = UPSTREAM.last().body();
        JsonArray messages = last.getJsonArray("messages");
        JsonObject result = messages.getJsonObject(messages.size() - 1).getJsonArray("content").getJsonObject(0);
        assertThat(result.getString("type"), is("tool_result"));
        assertThat(result.getBoolean("is_error"), is(true));
        assertThat(messages.getJsonObject(messages.size() - 2).getJsonArray("content").getJsonObject(1)
                .getString("type"), is("tool_use"));
        assertThat(last.getJsonArray("tools").size(), is(5));
    }

    @Test
    void aTrailingBackslashContinuesTheMessageAndAlwaysApprovesForTheSession() throws Exception {
        String screen = session("""
                first line \\
                second line
                call tool: bash echo one
                a
                call tool: bash echo two
                /quit
                """);
        assertThat(UPSTREAM.received("/v1/messages").get(0).body().getJsonArray("messages").getJsonObject(0)
                .getString("content"), is("first line \nsecond line"));
        assertThat(screen, containsString("(allowed for this session)"));
        assertThat(screen, containsString("[tool ok] exit code: 0 stdout: two"));
    }

    @Test
    void aRememberedPatternIsSavedAndApprovesTheNextTimeWithoutAsking() throws Exception {
        String first = session("""
                call tool: bash echo remembered
                p
                echo *
                /quit
                """);
        assertThat(first, containsString("remembered: bash echo *"));
        assertThat(Files.readString(data.resolve("tool_patterns.json")), containsString("\"pattern\":\"echo *\""));
        String second = session("""
                call tool: bash echo again
                /quit
                """);
        assertThat(second, containsString("(allowed by a remembered pattern)"));
        assertThat(second, containsString("[tool ok] exit code: 0 stdout: again"));
        assertThat(second, not(containsString("allow?")));
    }

    @Test
    void rememberingExactlyThisStoresTheArgumentLiterallyNotAsARegex() throws Exception {
        String first = session("""
                call tool: bash regex:.+
                p

                /quit
                """);
        assertThat(first, containsString("remembered: bash exactly \"regex:.+\""));
        String second = session("""
                call tool: bash touch pwned
                n
                /quit
                """);
        assertThat(second, containsString("allow?"));
        assertThat(second, not(containsString("(allowed by a remembered pattern)")));
        assertThat(Files.exists(data.resolve("pwned")), is(false));
    }

    @Test
    void neitherAPatternNorAlwaysApprovesMoreThanOneSimpleCommand() throws Exception {
        session("""
                /patterns add bash echo *
                /quit
                """);
        String screen = session("""
                call tool: bash echo one
                call tool: bash echo two; touch pwned-by-pattern
                n
                call tool: bash ls
                a
                call tool: bash ls && touch pwned-by-always
                n
                /quit
                """);
        assertThat(screen, containsString("[tool ok] exit code: 0 stdout: one"));
        assertThat(screen, containsString("note: more than one simple command: ;"));
        assertThat(screen, containsString("note: more than one simple command: &&"));
        assertThat(screen.split("allow\\?", -1).length - 1, is(3));
        assertThat(Files.exists(data.resolve("pwned-by-pattern")), is(false));
        assertThat(Files.exists(data.resolve("pwned-by-always")), is(false));
    }

    @Test
    void aFetchRedirectedToAnotherOriginIsAskedAgainAndAlwaysDoesNotReachPrivateAddresses() throws Exception {
        try (LocalSite secret = LocalSite.start().page("/secret", "loopback secret").page("/a", "page a");
             LocalSite site = LocalSite.start().redirect("/go", secret.url("/secret"))) {
            String screen = session("/patterns add fetch http://127.0.0.1:" + site.port() + "/*\n"
                    + "call tool: fetch " + site.url("/go") + "\n"
                    + "n\n"
                    + "call tool: fetch " + secret.url("/a") + "\n"
                    + "a\n"
                    + "call tool: fetch " + secret.url("/secret") + "\n"
                    + "n\n"
                    + "/quit\n");
            assertThat(screen, containsString("(allowed by a remembered pattern)"));
            assertThat(screen, containsString("[tool] GET " + secret.url("/secret") + " (redirected from "
                    + site.url("/go") + ")"));
            assertThat(screen, containsString("[tool ok] HTTP 200 page a"));
            assertThat(screen.split("allow\\?", -1).length - 1, is(3));
            assertThat(secret.hits("/secret"), is(0));
        }
    }

    @Test
    void controlCharactersInToolLinesAreShownNotActedOn() throws Exception {
        UPSTREAM.callToolNext("checking", "toolu_hidden", "bash", jakarta.json.Json.createObjectBuilder()
                .add("command", "printf 'ok\\033[2K\\342\\200\\256' # \r\u001b[2K[tool] bash -c ls\u202e").build());
        String screen = session("""
                list the files
                y
                /quit
                """);
        assertThat(screen, containsString("[tool] bash -c printf 'ok\\033[2K\\342\\200\\256' # \\r\\x1b[2K[tool] bash -c ls\\u202e"));
        assertThat(screen, containsString("[tool ok] exit code: 0 stdout: ok\\x1b[2K\\u202e stderr:"));
        // The answer is the model's prose and goes out as written; the tool lines are ours.
        for (String line : screen.split("\n")) {
            if (line.startsWith("[tool]") || line.contains("[tool ok]")) {
                assertThat("no raw control character in " + line, line.matches("(?s).*[\\x00-\\x1f\\x7f\\u202e].*"),
                        is(false));
            }
        }
    }

    @Test
    void aToolLoopStoppedAtMaxIterationsLeavesTheConversationUsable() throws Exception {
        String screen = session("""
                call tool: bash echo one
                and now?
                /quit
                """, Map.of("cli.max-tool-iterations", "1"));
        assertThat(screen, containsString("[Stopped after 1 tool rounds (cli.max-tool-iterations).]"));
        assertThat(screen, not(containsString("error: HTTP 400")));
        assertThat(screen, containsString("\"not run: the tool loop stopped (max iterations)\"] and now?"));
        JsonArray messages = UPSTREAM.last().body().getJsonArray("messages");
        assertThat(messages.size(), is(3));
        assertThat(messages.getJsonObject(2).getJsonArray("content").getJsonObject(0).getString("tool_use_id"),
                is(messages.getJsonObject(1).getJsonArray("content").getJsonObject(1).getString("id")));
    }

    @Test
    void aToolRoundThatFailsLeavesTheConversationUsable() throws Exception {
        UPSTREAM.callToolNext("calling", "toolu_failing", "bash", jakarta.json.Json.createObjectBuilder()
                .add("command", "echo ran").build());
        UPSTREAM.failNext(400, "invalid_request_error", "the tool round failed", Map.of());
        String screen = session("""
                go
                y
                carry on
                /quit
                """);
        assertThat(screen, containsString("[tool ok] exit code: 0 stdout: ran"));
        assertThat(screen, containsString("error: HTTP 400 invalid_request_error: the tool round failed"));
        assertThat(screen, containsString("echo: [tool_result toolu_failing: \"not run: the tool loop stopped "
                + "(error)\"] carry on"));
        assertThat("the same session carried on", UPSTREAM.last().body().getJsonArray("messages").size(), is(3));
    }

    @Test
    void ctrlCStopsTheAnswerAndTheReplCarriesOn() throws Exception {
        UPSTREAM.eventDelay(Duration.ofMillis(100));
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        String input = "tell me a very long story with many many words in it please\n/session\n/quit\n";
        try (App app = App.create(TestConfigs.forUpstream(UPSTREAM.baseUrl(), data, Map.of()), Clock.systemUTC());
             Terminal terminal = new DumbTerminal("test", "dumb",
                     new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), screen, StandardCharsets.UTF_8)) {
            CompletableFuture<Integer> repl = CompletableFuture.supplyAsync(() ->
                    Terminals.repl(app.engine(), app.learning(), app.config(), terminal, data));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!screen.toString(StandardCharsets.UTF_8).contains("echo:") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            terminal.raise(Terminal.Signal.INT);
            assertThat(repl.get(), is(0));
        }
        String text = screen.toString(StandardCharsets.UTF_8);
        assertThat(text, containsString("[cancelled]"));
        assertThat(text, not(containsString("please\n[claude")));
        assertThat(text, containsString("session sess_"));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (UPSTREAM.cancelledStreams() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat("the upstream call was cancelled", UPSTREAM.cancelledStreams(), is(1));
    }
}
