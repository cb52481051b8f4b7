package dev.shammah.api;

import java.time.Clock;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.RunningApp;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * Every body read arms a silence timer and cancels it when the body is in. Timers cancelled but left queued until
 * their delay ran out (server.read-timeout) made the heap grow with the request rate under sustained load.
 */
class BodyDeadlineTimersTest {
    @Test
    void bodiesReadInTimeLeaveNoTimerQueued() {
        try (FakeAnthropic upstream = FakeAnthropic.start();
             RunningApp app = RunningApp.start(upstream.baseUrl(), Map.of("server.read-timeout", "60s"),
                     Clock.systemUTC())) {
            int before = BodyDeadline.pending();
            for (int i = 0; i < 25; i++) {
                assertThat(app.post("/v1/messages", Requests.simple("hi " + i, null)).statusCode(), is(200));
            }
            assertThat("timers still queued after every body was read", BodyDeadline.pending(),
                    lessThanOrEqualTo(before));
        }
    }
}
