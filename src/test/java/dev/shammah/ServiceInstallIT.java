package dev.shammah;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The service as installed (after {@code package}, by failsafe): {@code scripts/install} stages the jar, its
 * libraries, a launcher and the unit; the unit runs java on the installed jar and never builds; and
 * {@code scripts/check-service} passes — exposure below 5, every system call inside the unit's filter, a clean
 * exit 0 on SIGTERM (parts it lacks tools for it skips, saying so).
 */
class ServiceInstallIT {
    @TempDir
    Path stage;

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat("finished", p.waitFor(5, TimeUnit.MINUTES), is(true));
        assertThat(out, p.exitValue(), is(0));
        return out;
    }

    @Test
    void installStagesARunnableServiceThatNeverBuilds() throws Exception {
        run("scripts/install", "--destdir", stage.toString(), "--skip-build");
        Path unit = stage.resolve("etc/systemd/system/shammah.service");
        String text = Files.readString(unit);
        assertThat(text, containsString("-jar /opt/shammah/lib/shammah.jar daemon"));
        assertThat(text, not(containsString("scripts/shammah")));
        assertThat(text, not(containsString("--bind")));
        assertThat(text, containsString("UMask=0077"));
        assertThat(text, containsString("StateDirectoryMode=0700"));
        assertThat(Files.isRegularFile(stage.resolve("opt/shammah/lib/shammah.jar")), is(true));
        assertThat(Files.isExecutable(stage.resolve("opt/shammah/bin/shammah")), is(true));
        try (var libs = Files.list(stage.resolve("opt/shammah/lib/libs"))) {
            assertThat(libs.count() > 50, is(true));
        }
        assertThat(Files.readString(stage.resolve("opt/shammah/bin/shammah")),
                containsString("-jar \"/opt/shammah/lib/shammah.jar\""));
        // The installed jar finds its libraries beside it (Class-Path: libs/…), wherever the folder is.
        String version = run(ProcessHandle.current().info().command().orElse("java"), "-jar",
                stage.resolve("opt/shammah/lib/shammah.jar").toString(), "--version");
        assertThat(version, containsString("shammah " + Version.NUMBER));
    }

    @Test
    void theUnitPassesCheckService() throws Exception {
        String out = run("scripts/check-service");
        assertThat(out, containsString("check-service: "));
    }
}
