package dev.shammah.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import dev.shammah.Main;
import dev.shammah.api.ApiKeys;
import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.RunningApp;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** {@code shammah usage}: the usage report from the data dir's files, or from a daemon with an admin key. */
class UsageCommandTest {
    static final FakeAnthropic UPSTREAM = FakeAnthropic.start();

    @TempDir
    Path home;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("SHAMMAH_UPSTREAM_BASE_URL", UPSTREAM.baseUrl().toString());
        env.put("ANTHROPIC_API_KEY", FakeAnthropic.API_KEY);
        env.put("SHAMMAH_DATA_DIR", home.resolve("data").toString());
        return env;
    }

    private int run(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        Invocation io = new Invocation(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env, home, home, false,
                home);
        return Main.run(args, io);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void readsTheDataDirWhenNoDaemonServesIt() {
        UPSTREAM.reset();
        UPSTREAM.answerWith(r -> "Paris.");
        assertThat(run(env(), "query", "What is the capital of France?"), is(0));
        assertThat(run(env(), "query", "What is the capital of France?"), is(0));
        assertThat(run(env(), "usage"), is(0));
        assertThat(out(), containsString("tenant"));
        assertThat(out(), containsString("(all)"));
        assertThat(out(), containsString("50.0%"));
        assertThat(run(env(), "usage", "--json"), is(0));
        JsonObject totals = JsonText.parse(out()).getJsonObject("totals");
        assertThat(totals.getInt("requests"), is(2));
        assertThat(totals.getInt("local"), is(1));
        assertThat(totals.getInt("forwarded"), is(1));
        assertThat(run(env(), "usage", "--to", "2000-01-01", "--json"), is(0));
        assertThat(JsonText.parse(out()).getJsonObject("totals").getInt("requests"), is(0));
        assertThat(run(env(), "usage", "--from", "yesterday"), is(2));
        assertThat(err.toString(StandardCharsets.UTF_8), containsString("from must be an instant"));
        assertThat(run(env(), "usage", "--bogus"), is(2));
    }

    @Test
    void asksADaemonWithTheAdminKey() {
        UPSTREAM.reset();
        UPSTREAM.answerWith(r -> "Paris.");
        Map<String, String> config = new HashMap<>();
        config.put("server.auth-enabled", "true");
        config.put("server.api-keys", ApiKeys.hashed("client-key"));
        config.put("server.admin-keys", ApiKeys.hashed("admin-key"));
        try (RunningApp app = RunningApp.startIn(UPSTREAM.baseUrl(), home.resolve("daemon"), config,
                Clock.systemUTC())) {
            app.send(java.net.http.HttpRequest.newBuilder(app.uri("/v1/messages"))
                    .header("content-type", "application/json").header("x-api-key", "client-key")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(dev.shammah.testsupport.Requests.simple(
                            "What is the capital of France?", null))).build());
            String url = app.uri("/").toString();
            assertThat(run(env(), "usage", "--daemon", url), is(1));
            assertThat(err.toString(StandardCharsets.UTF_8), containsString("needs an admin key"));
            Map<String, String> admin = env();
            admin.put("SHAMMAH_ADMIN_KEY", "admin-key");
            assertThat(run(admin, "usage", "--daemon", url, "--json"), is(0));
            assertThat(JsonText.parse(out()).getJsonObject("totals").getInt("forwarded"), is(1));
            assertThat(run(admin, "usage", "--daemon", url), is(0));
            assertThat(out(), containsString("the daemon at " + url));
        }
    }
}
