package dev.shammah;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.shammah.cli.Exit;
import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * The three modes as separate processes on one machine, as a user runs them: a daemon owns the data dir under
 * {@code $HOME}, {@code query} and the REPL talk to it (sharing learning and sessions), a second daemon is
 * refused, SIGTERM exits 0, and afterwards {@code query} takes the data dir itself. Nothing is left in the
 * temporary folder, and every file written is private.
 */
class SharedDataDirTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();
    static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path tmp;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    private Map<String, String> env(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("ANTHROPIC_API_KEY", FakeAnthropic.API_KEY);
        env.put("SHAMMAH_UPSTREAM_BASE_URL", TEACHER.baseUrl().toString());
        env.put("SHAMMAH_MODEL_STUDENT_ENABLED", "false");
        // Verification would send a sample of local answers to the teacher too, making its counts random.
        env.put("SHAMMAH_LEARNING_VERIFY_RATE", "0");
        env.put("SHAMMAH_CACHE_DIR", tmp.resolve("cache").toString());
        // libtorch and the tokenizer library are cached by DJL per user: reuse this user's, not a fresh $HOME's.
        env.put("DJL_CACHE_DIR", Path.of(System.getProperty("user.home"), ".djl.ai").toString());
        return env;
    }

    private ProcessBuilder shammah(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + Files.createDirectories(tmp.resolve("t")),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs one command to completion: {exit code, stdout, stderr}. */
    private String[] run(Map<String, String> env, String stdin, String... args) throws Exception {
        Process p = shammah(env, args).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat("finished in time", p.waitFor(60, TimeUnit.SECONDS), is(true));
        return new String[] {Integer.toString(p.exitValue()), out, err};
    }

    /** Learning runs after the answer, off its path: wait until the daemon has stored {@code n} exchanges. */
    private static void awaitLearned(String url, int n) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url
                    + "/v1/training/status")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            if (JsonText.parse(body).getInt("memory_exchanges") >= n) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the daemon did not learn " + n + " exchanges in time");
    }

    @Test
    void daemonQueryAndReplShareOneDataDirUnderHome() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path data = home.resolve(".shammah");
        Map<String, String> env = env(home);

        Process daemon = shammah(env, "daemon", "--bind", "127.0.0.1:0").redirectErrorStream(true).start();
        BufferedReader daemonOut = new BufferedReader(new InputStreamReader(daemon.getInputStream(),
                StandardCharsets.UTF_8));
        String url = null;
        for (String line; url == null && (line = daemonOut.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                url = m.group(1);
            }
        }
        assertThat("the daemon started", url != null, is(true));
        Thread drain = Thread.ofVirtual().start(() -> daemonOut.lines().forEach(l -> { }));
        try {
            assertThat("$HOME, not the password database's home", Files.readString(data.resolve("owner.json")),
                    containsString(url));

            String[] second = run(env, "", "daemon", "--bind", "127.0.0.1:0");
            assertThat(second[0], is(Integer.toString(Exit.IN_USE.code())));
            assertThat(second[2], containsString("is in use by shammah daemon"));
            assertThat("one line", second[2].strip().lines().count(), is(1L));

            String[] first = run(env, "", "query", "--json", "What is the capital of France?");
            assertThat(first[2], first[0], is("0"));
            String session = JsonText.parse(first[1]).getString("session_id");
            assertThat(TEACHER.received("/v1/messages").size(), is(1));

            awaitLearned(url, 1);
            String[] again = run(env, "", "query", "what is the capital of france");
            assertThat(again[0], is("0"));
            assertThat(again[1], is("echo: What is the capital of France?\n"));
            assertThat("answered from the daemon's memory", TEACHER.received("/v1/messages").size(), is(1));

            // The REPL offers tools, so its requests have their own context: one REPL learns, the next recalls.
            String[] repl = run(env, "Who wrote Dracula?\n/quit\n");
            assertThat(repl[2], repl[0], is("0"));
            assertThat(repl[1], containsString("answers from the daemon at " + url));
            assertThat(repl[1], containsString("[claude"));
            awaitLearned(url, 2);
            String[] nextRepl = run(env, "who wrote dracula\n/training\n/quit\n");
            assertThat(nextRepl[1], containsString("[local"));
            assertThat(nextRepl[1], containsString("2 teacher answers remembered"));
            assertThat(TEACHER.received("/v1/messages").size(), is(2));

            String[] followUp = run(env, "", "query", "--session", session, "And of Italy?");
            assertThat(followUp[2], followUp[0], is("0"));
            assertThat("the daemon's session carried the history", TEACHER.last().body().getJsonArray("messages")
                    .size(), is(3));
            String[] badId = run(env, "", "query", "--session", "bad id!", "hi");
            assertThat("a malformed --session is a usage error with a daemon too", badId[0], is("2"));
            assertThat(badId[2], containsString("--session must be 1-128 letters"));
        } finally {
            daemon.destroy();
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS), is(true));
            drain.join(5000);
        }
        assertThat("SIGTERM after a drain is a clean stop", daemon.exitValue(), is(0));
        assertThat("no address left behind", Files.readString(data.resolve("owner.json")).strip(), is(""));

        int before = TEACHER.received("/v1/messages").size();
        String[] alone = run(env, "", "query", "What is the capital of France?");
        assertThat(alone[2], alone[0], is("0"));
        assertThat("in-process, with what the daemon learned", TEACHER.received("/v1/messages").size(), is(before));
        String[] noSession = run(env, "", "query", "--session", "sess_x", "hi");
        assertThat(noSession[0], is("2"));
        assertThat(noSession[2], containsString("none is running"));

        try (Stream<Path> left = Files.list(tmp.resolve("t"))) {
            assertThat("nothing left in the temporary folder", left.toList(), is(empty()));
        }
        List<String> open = new ArrayList<>();
        try (Stream<Path> all = Files.walk(data)) {
            for (Path p : all.toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                if (!mode.equals(Files.isDirectory(p) ? "rwx------" : "rw-------")) {
                    open.add(data.relativize(p) + " " + mode);
                }
            }
        }
        assertThat("every file private", open, is(empty()));
    }
}
