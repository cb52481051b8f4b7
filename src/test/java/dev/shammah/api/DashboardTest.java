package dev.shammah.api;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** The page's files over HTTP: served from the jar with a strict content policy, nothing else under /dashboard. */
class DashboardTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    @Test
    void thePageAndItsFilesAreServedAndNothingElse() {
        try (RunningApp app = RunningApp.start(TEACHER.baseUrl(), Map.of("server.auth-enabled", "true",
                "server.api-keys", ApiKeys.hashed("client-key"), "server.admin-keys", ApiKeys.hashed("admin-key")),
                Clock.systemUTC())) {
            HttpResponse<String> page = app.send(HttpRequest.newBuilder(app.uri("/dashboard")).build());
            assertThat(page.statusCode(), is(200));
            assertThat(page.headers().firstValue("content-type").orElse(""), containsString("text/html"));
            assertThat(page.headers().firstValue("content-security-policy").orElse(""),
                    containsString("script-src 'self'"));
            assertThat(page.body(), containsString("/dashboard/app.js"));
            HttpResponse<String> js = app.send(HttpRequest.newBuilder(app.uri("/dashboard/app.js")).build());
            assertThat(js.statusCode(), is(200));
            assertThat(js.body(), containsString("/admin/usage"));
            assertThat(js.headers().firstValue("content-type").orElse(""), containsString("javascript"));
            assertThat(app.send(HttpRequest.newBuilder(app.uri("/dashboard/style.css")).build()).statusCode(), is(200));
            assertThat(app.send(HttpRequest.newBuilder(app.uri("/dashboard/secrets.txt")).build()).statusCode(),
                    is(404));
            assertThat("the page is public; its figures are not", app.send(HttpRequest.newBuilder(
                    app.uri("/admin/usage")).build()).statusCode(), is(401));
        }
    }
}
