package dev.shammah.store;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.shammah.testsupport.Cluster.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Rate limits hold across instances: each enforces its share of the configured limit (the limit over the live
 * instances), so a client spread over two instances gets the limit in all, and no request waits on the database
 * to be counted.
 */
class SharedLimitsTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    @Test
    void eachInstanceAdmitsItsShareOfTheLimit() {
        String url = TestPostgres.shared().newDatabase();
        Map<String, String> c = new HashMap<>(TestPostgres.storeConfig(url));
        c.put("server.rate-limit.requests-per-minute", "4");
        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, c, Clock.systemUTC());
             RunningApp b = RunningApp.startIn(TEACHER.baseUrl(), dirB, c, Clock.systemUTC())) {
            await("both count two instances", () -> a.app().sharedStore().liveInstances() == 2
                    && b.app().sharedStore().liveInstances() == 2);
            int admitted = 0;
            HttpResponse<String> refused = null;
            for (RunningApp app : new RunningApp[] {a, b, a, b, a, b}) {
                HttpResponse<String> r = app.post("/v1/messages", Requests.simple("hello", null));
                if (r.statusCode() == 200) {
                    admitted++;
                    assertThat(r.headers().firstValue("anthropic-ratelimit-requests-limit").orElse(""), is("2"));
                } else {
                    refused = r;
                }
            }
            assertThat("four a minute in all, two on each", admitted, is(4));
            assertThat(refused.statusCode(), is(429));
            assertThat(refused.body(), containsString("shared by 2 instances"));
        }
    }
}
