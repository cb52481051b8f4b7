package dev.shammah.cli.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** Each local tool on a scratch directory, with its caps and failure modes. */
class ToolsTest {
    @TempDir
    Path dir;

    private static JsonObject in(String k, String v) {
        return Json.createObjectBuilder().add(k, v).build();
    }

    @Test
    void readGlobAndGrepWorkRelativeToTheWorkingDirectory() throws Exception {
        Files.createDirectories(dir.resolve("src/a"));
        Files.writeString(dir.resolve("src/a/One.java"), "class One {}\n// TODO: two\n");
        Files.writeString(dir.resolve("src/Two.txt"), "nothing\n");
        assertThat(new ReadTool().run(in("path", "src/a/One.java"), dir).content(), containsString("class One"));
        assertThat(new ReadTool().run(in("path", "src"), dir).content(), is("Two.txt\na/\n"));
        assertThat(new ReadTool().run(in("path", "missing"), dir).error(), is(true));
        assertThat(new GlobTool().run(in("pattern", "**/*.java"), dir).content(), is("src/a/One.java"));
        assertThat(new GlobTool().run(in("pattern", "*.none"), dir).content(), is("No matches."));
        Tool.ToolResult grep = new GrepTool().run(in("pattern", "TODO"), dir);
        assertThat(grep.content(), is("src/a/One.java:2:// TODO: two\n"));
        assertThat(new GrepTool().run(in("pattern", "(unclosed"), dir).error(), is(true));
    }

    @Test
    void readCapsLargeFiles() throws Exception {
        Files.writeString(dir.resolve("big.txt"), "x".repeat(ReadTool.MAX_CHARS + 500));
        String out = new ReadTool().run(in("path", "big.txt"), dir).content();
        assertThat(out, containsString("[truncated: 500 more characters]"));
    }

    @Test
    void bashReportsExitCodeAndOutputAndStopsAtTheTimeout() {
        Tool.ToolResult ok = new BashTool(Duration.ofSeconds(5)).run(in("command", "echo hi; echo oops >&2; exit 3"), dir);
        assertThat(ok.error(), is(true));
        assertThat(ok.content(), containsString("exit code: 3"));
        assertThat(ok.content(), containsString("stdout:\nhi"));
        assertThat(ok.content(), containsString("stderr:\noops"));
        Tool.ToolResult slow = new BashTool(Duration.ofMillis(300)).run(in("command", "sleep 5"), dir);
        assertThat(slow.error(), is(true));
        assertThat(slow.content(), containsString("Timed out"));
    }

    @Test
    void fetchFailsClearlyWhenNothingAnswers() {
        Tool.ToolResult r = new FetchTool(Duration.ofSeconds(2)).run(in("url", "http://127.0.0.1:9/"), dir);
        assertThat(r.error(), is(true));
        assertThat(r.content(), containsString("Fetch failed"));
        assertThat(new FetchTool(Duration.ofSeconds(2)).run(in("url", "file:///etc/passwd"), dir).content(),
                containsString("Only http and https"));
    }

    @Test
    void patternsMatchGlobsAndRegexesAndSurviveReloading() {
        ToolPatterns p = new ToolPatterns(dir.resolve("p.json"));
        p.add("bash", "git status*");
        p.add("read", "regex:src/.*\\.java");
        assertThat(p.allows("bash", "git status --short"), is(true));
        assertThat(p.allows("bash", "git push"), is(false));
        assertThat(p.allows("read", "src/Main.java"), is(true));
        assertThat(p.allows("read", "etc/passwd"), is(false));
        ToolPatterns again = new ToolPatterns(dir.resolve("p.json"));
        assertThat(again.rules().size(), is(2));
        assertThat(again.remove(1), is(true));
        assertThat(new ToolPatterns(dir.resolve("p.json")).allows("bash", "git status"), is(false));
    }

    @Test
    void theToolBoxDeniesUnknownToolsAndBadInput() {
        ToolBox box = new ToolBox(dir, Duration.ofSeconds(5));
        JsonObject unknown = box.execute(Json.createObjectBuilder().add("type", "tool_use").add("id", "t1")
                .add("name", "rm").add("input", Json.createObjectBuilder()).build(), (t, i) -> true);
        assertThat(unknown.getBoolean("is_error"), is(true));
        JsonObject bad = box.execute(Json.createObjectBuilder().add("type", "tool_use").add("id", "t2")
                .add("name", "bash").add("input", Json.createObjectBuilder()).build(), (t, i) -> true);
        assertThat(bad.getString("content"), containsString("missing string field 'command'"));
        assertThat(box.definitions().toString(), not(containsString("\"rm\"")));
    }
}
