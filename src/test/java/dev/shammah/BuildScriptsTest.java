package dev.shammah;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/**
 * What {@code scripts/lib/build.sh} promises a newcomer (issue 34): two scripts started together build once — the
 * one that waited for the other's build finds it done and goes on at once (the README's fake upstream used to build
 * again and answer seconds after the daemon listened) — and a first build says what it is doing instead of
 * looking hung. The scripts run in bash against a stand-in {@code ./mvnw}, so no real build is made.
 */
class BuildScriptsTest {
    private static final Path BUILD_SH = Path.of("scripts/lib/build.sh").toAbsolutePath();

    @TempDir
    Path root;

    private Process bash(String script) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail; ROOT=" + root + "; . " + BUILD_SH
                + "; " + script).redirectErrorStream(true);
        return pb.start();
    }

    private static String finish(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out, p.waitFor(60, TimeUnit.SECONDS), is(true));
        assertThat(out, p.exitValue(), is(0));
        return out;
    }

    @Test
    void aScriptThatWaitedForAnotherBuildDoesNotBuildAgain() throws Exception {
        // The stand-in build takes a second and leaves the "jar"; each run is counted.
        Path mvnw = root.resolve("mvnw");
        Files.writeString(mvnw, "#!/usr/bin/env bash\necho run >> \"$(dirname \"$0\")/builds\"\nsleep 1\n"
                + "touch \"$(dirname \"$0\")/jar\"\n");
        Files.setPosixFilePermissions(mvnw, PosixFilePermissions.fromString("rwxr-xr-x"));
        String stale = "stale() { [ ! -f " + root.resolve("jar") + " ]; }; ";
        Process first = bash(stale + "mvn_locked_if stale package");
        // The second starts while the first holds the lock (the stand-in has written its count by then).
        for (int i = 0; i < 100 && !Files.exists(root.resolve("builds")); i++) {
            Thread.sleep(20);
        }
        Process second = bash(stale + "mvn_locked_if stale package");
        finish(first);
        finish(second);
        assertThat("one build for two scripts", Files.readAllLines(root.resolve("builds")), contains("run"));
    }

    @Test
    void aBuildShowsOneLinePerStepAndItsErrorsInFull() throws Exception {
        Path log = root.resolve("maven.log");
        Files.write(log, List.of(
                "[INFO] Scanning for projects...",
                "[INFO] --- maven-resources-plugin:3.3.1:resources (default-resources) @ shammah ---",
                "[INFO] Copying 12 resources",
                "[INFO] --- maven-compiler-plugin:3.11.0:compile (default-compile) @ shammah ---",
                "[ERROR] /src/Main.java:[3,1] class, interface, enum, or record expected",
                "[INFO] BUILD FAILURE"));
        String out = finish(bash("build_progress < " + log));
        assertThat(out.lines().toList(), contains(
                "  build: maven-resources-plugin:3.3.1:resources (default-resources) @ shammah",
                "  build: maven-compiler-plugin:3.11.0:compile (default-compile) @ shammah",
                "[ERROR] /src/Main.java:[3,1] class, interface, enum, or record expected",
                "[INFO] BUILD FAILURE"));
    }
}
