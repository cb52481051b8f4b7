package dev.shammah.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** What the REPL shows when a daemon answers for it: the daemon's own figures, not blanks. */
class DaemonAnswererTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();

    @TempDir
    Path data;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    @Test
    void metricsAndTrainingComeFromTheDaemon() {
        try (RunningApp app = RunningApp.startIn(TEACHER.baseUrl(), data, Map.of("learning.enabled", "true",
                "learning.verify-rate", "0"), Clock.systemUTC())) {
            app.post("/v1/messages", Requests.simple("What is the capital of France?", null));
            app.app().learning().drain();
            app.post("/v1/messages", Requests.simple("What is the capital of France?", null));
            DaemonAnswerer daemon = new DaemonAnswerer(java.net.URI.create("http://127.0.0.1:" + app.uri("/").getPort()), "");
            assertThat("the daemon reports what local answers saved", Double.isNaN(daemon.dollarsSaved()), is(false));
            assertThat(daemon.routeCounts()[0] >= 1, is(true));
            assertThat(daemon.training(), containsString("other words for a remembered question"));
        }
    }
}
