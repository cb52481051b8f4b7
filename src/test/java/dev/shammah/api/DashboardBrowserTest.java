package dev.shammah.api;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import dev.shammah.testsupport.Chromium;
import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.SecuredConfig;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * The dashboard in a real browser (headless Chromium over the DevTools protocol): after a small replay it asks
 * for the admin key, then shows the same local share as {@code GET /admin/usage}, a row per tenant and a drawn
 * chart, with no script error; the screenshot is kept as {@code target/dashboard.png}. Skipped, loudly, where no
 * Chromium can be had (scripts/test installs one where it can).
 */
class DashboardBrowserTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();
    static final String ALICE = "alice-key";
    static final String BOB = "bob-key";
    static final String ADMIN = "admin-key";

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    private static void ask(RunningApp app, String key, String text) {
        app.send(HttpRequest.newBuilder(app.uri("/v1/messages")).header("content-type", "application/json")
                .header("x-api-key", key).POST(HttpRequest.BodyPublishers.ofString(Requests.simple(text, null))).build());
        app.app().learning().drain();
    }

    @Test
    void thePageShowsWhatTheEndpointSays() throws Exception {
        Path executable = Chromium.find();
        if (executable == null) {
            System.err.println("SKIPPED DashboardBrowserTest: no Chromium on this machine (scripts/test installs "
                    + "Debian's chromium package when it runs as root)");
        }
        Assumptions.assumeTrue(executable != null, "no Chromium on this machine: the dashboard's browser test "
                + "cannot run");
        TEACHER.reset();
        TEACHER.answerWith(r -> "Paris.");
        try (RunningApp app = RunningApp.startIn(TEACHER.baseUrl(), dir, SecuredConfig.of(Map.of(), ADMIN, ALICE, BOB),
                Clock.systemUTC());
             Chromium browser = Chromium.start(executable, 1280, 800)) {
            ask(app, ALICE, "What is the capital of France?");
            ask(app, ALICE, "What is the capital of France?");
            ask(app, ALICE, "What is the capital of France?");
            ask(app, BOB, "What is the capital of Spain?");
            JsonObject usage = JsonText.parse(app.send(HttpRequest.newBuilder(app.uri("/admin/usage"))
                    .header("x-api-key", ADMIN).build()).body());

            browser.navigate(app.uri("/dashboard").toString());
            browser.waitFor("document.getElementById('login') && !document.getElementById('login').hidden",
                    Duration.ofSeconds(10));
            browser.eval("document.getElementById('key').value = '" + ADMIN + "'; "
                    + "document.getElementById('login').requestSubmit(); true");
            browser.waitFor("!document.getElementById('report').hidden "
                    + "&& document.getElementById('local-share').textContent !== '–'", Duration.ofSeconds(10));

            String expected = String.format(Locale.ROOT, "%.1f%%",
                    100 * usage.getJsonObject("totals").getJsonNumber("local_share").doubleValue());
            assertThat(((jakarta.json.JsonString) browser.eval("document.getElementById('local-share').textContent"))
                    .getString(), is(expected));
            for (var t : usage.getJsonArray("tenants")) {
                String tenant = t.asJsonObject().getString("tenant");
                assertThat("a row for " + tenant, browser.eval("document.querySelector('#tenants tr[data-tenant=\""
                        + tenant + "\"]') !== null").toString(), is("true"));
            }
            assertThat("the chart has drawn points", Integer.parseInt(browser.eval(
                    "document.querySelectorAll('#chart circle').length").toString()), greaterThan(0));
            browser.waitFor("document.getElementById('teacher').textContent.includes('calls')", Duration.ofSeconds(10));
            // /metrics counts every call this JVM made (the registry is the process's): at least this test's two.
            String teacher = ((jakarta.json.JsonString) browser.eval("document.getElementById('teacher')"
                    + ".textContent")).getString();
            assertThat("the teacher's calls, from /metrics", teacher,
                    matchesPattern("\\d+ calls · mean \\d+ ms · \\d+ failed"));
            assertThat(Integer.parseInt(teacher.substring(0, teacher.indexOf(' '))), greaterThanOrEqualTo(2));
            assertThat("the health checks are listed", Integer.parseInt(browser.eval(
                    "document.querySelectorAll('#checks li').length").toString()), greaterThan(0));
            assertThat("no model configured, and it says so", ((jakarta.json.JsonString) browser.eval(
                    "document.getElementById('models').textContent")).getString(), matchesPattern("none configured.*"));
            String alice = usage.getJsonArray("tenants").stream().map(t -> t.asJsonObject())
                    .filter(t -> t.getInt("requests") == 3).findFirst().orElseThrow().getString("tenant");
            assertThat("answers remembered for a tenant, from /admin/tenants", ((jakarta.json.JsonString) browser.eval(
                    "document.querySelector('#tenants tr[data-tenant=\"" + alice + "\"] td:nth-child(9)').textContent"))
                    .getString(), is("1"));
            assertThat("its evidence, from /admin/tenants/{tenant}/training", ((jakarta.json.JsonString) browser.eval(
                    "document.querySelector('#tenants tr[data-tenant=\"" + alice + "\"] td:nth-child(10)').textContent"))
                    .getString(), matchesPattern("\\d+ of \\d+"));
            assertThat("no script errors", browser.errors(), is(empty()));
            Path shot = Path.of("target", "dashboard.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, browser.screenshot());
            assertThat(Files.size(shot), greaterThan(1000L));

            // At a phone's width nothing runs off the side: the cards wrap and the table scrolls in its own box.
            browser.viewport(390, 844, true);
            Thread.sleep(300);
            assertThat("page width at 390 px", Integer.parseInt(browser.eval(
                    "document.documentElement.scrollWidth").toString()), lessThanOrEqualTo(390));
            Files.write(Path.of("target", "dashboard-phone.png"), browser.screenshot());
        }
    }
}
