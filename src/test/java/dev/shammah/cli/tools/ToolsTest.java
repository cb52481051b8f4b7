package dev.shammah.cli.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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

    /** Nobody to ask: a call a tool leads to (a redirect) is refused. */
    private static final Approver NOBODY = (tool, call) -> false;

    private static JsonObject in(String k, String v) {
        return Json.createObjectBuilder().add(k, v).build();
    }

    private Tool.Call bash(String command) {
        return new BashTool(Duration.ofSeconds(5)).prepare(in("command", command), dir);
    }

    private Tool.Call read(String path) {
        return new ReadTool().prepare(in("path", path), dir);
    }

    private Tool.ToolResult run(Tool tool, JsonObject input) {
        return run(tool, dir, input);
    }

    private static Tool.ToolResult run(Tool tool, Path workingDir, JsonObject input) {
        return tool.prepare(input, workingDir).run(NOBODY);
    }

    /** The tool_result of one call through the tool box, approved by {@code approver}. */
    private JsonObject execute(String name, JsonObject input, Approver approver) {
        return new ToolBox(dir, Duration.ofSeconds(5)).execute(Json.createObjectBuilder().add("type", "tool_use")
                .add("id", "t1").add("name", name).add("input", input).build(), approver, shown -> { });
    }

    @Test
    void readGlobAndGrepWorkRelativeToTheWorkingDirectory() throws Exception {
        Files.createDirectories(dir.resolve("src/a"));
        Files.writeString(dir.resolve("src/a/One.java"), "class One {}\n// TODO: two\n");
        Files.writeString(dir.resolve("src/Two.txt"), "nothing\n");
        assertThat(run(new ReadTool(), in("path", "src/a/One.java")).content(), containsString("class One"));
        assertThat(run(new ReadTool(), in("path", "src")).content(), is("Two.txt\na/\n"));
        assertThat(run(new ReadTool(), in("path", "missing")).error(), is(true));
        assertThat(run(new GlobTool(), in("pattern", "**/*.java")).content(), is("src/a/One.java"));
        assertThat(run(new GlobTool(), in("pattern", "*.none")).content(), is("No matches."));
        Tool.ToolResult grep = run(new GrepTool(), in("pattern", "TODO"));
        assertThat(grep.content(), is("src/a/One.java:2:// TODO: two\n"));
        assertThat(execute("grep", in("pattern", "(unclosed"), (t, c) -> true).getString("content"),
                containsString("bad regular expression"));
    }

    @Test
    void readApprovalsMatchTheResolvedPathNotTheTextTheModelWrote() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work/src")).getParent();
        Files.writeString(work.resolve("src/Main.java"), "class Main {}");
        Path secret = Files.writeString(dir.resolve("secret.txt"), "the secret").toRealPath();
        Files.createSymbolicLink(work.resolve("src/link.txt"), secret);
        ToolPatterns p = new ToolPatterns(dir.resolve("p.json"));
        p.add("read", "src/*");

        Tool.Call traversal = new ReadTool().prepare(in("path", "src/../../secret.txt"), work);
        assertThat(traversal.argument(), is(secret.toString()));
        assertThat(traversal.describe(), containsString("[outside the working directory]"));
        assertThat(p.allows("read", traversal), is(false));
        Tool.Call link = new ReadTool().prepare(in("path", "src/link.txt"), work);
        assertThat("the link is followed before matching", link.argument(), is(secret.toString()));
        assertThat(p.allows("read", link), is(false));
        Tool.Call inside = new ReadTool().prepare(in("path", "./src/x/../Main.java"), work);
        assertThat(inside.argument(), is("src/Main.java"));
        assertThat(p.allows("read", inside), is(true));

        p.add("read", "*");
        assertThat("a pattern that matches anything still names nothing outside", p.allows("read", traversal),
                is(false));
        p.add("read", secret.getParent() + "/*");
        assertThat("an absolute pattern names the outside", p.allows("read", traversal), is(true));
        assertThat(traversal.run(NOBODY).content(), is("the secret"));
    }

    @Test
    void aPathThatResolvesElsewhereAfterApprovalIsNotRead() throws Exception {
        Path secret = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("secret.txt"),
                "the secret");
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("notes.txt"), "notes");
        Tool.Call approved = new ReadTool().prepare(in("path", "notes.txt"), work);
        Files.delete(work.resolve("notes.txt"));
        Files.createSymbolicLink(work.resolve("notes.txt"), secret);
        Tool.ToolResult r = approved.run(NOBODY);
        assertThat(r.error(), is(true));
        assertThat(r.content(), not(containsString("the secret")));
    }

    @Test
    void grepApprovalsNameThePathSearchedAndItDoesNotFollowLinksOut() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work/src")).getParent();
        Files.writeString(work.resolve("src/a.txt"), "TODO inside\n");
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TODO the secret\n").toRealPath();
        Files.createSymbolicLink(work.resolve("src/leak.txt"), secret);
        ToolPatterns p = new ToolPatterns(dir.resolve("p.json"));
        p.add("grep", "TODO*");

        Tool.Call inSrc = new GrepTool().prepare(Json.createObjectBuilder().add("pattern", "TODO").add("path", "src")
                .build(), work);
        assertThat(inSrc.argument(), is("TODO in src"));
        assertThat(p.allows("grep", inSrc), is(true));
        Tool.Call outside = new GrepTool().prepare(Json.createObjectBuilder().add("pattern", "TODO").add("path", "..")
                .build(), work);
        assertThat(outside.argument(), is("TODO in " + dir.toRealPath()));
        assertThat(p.allows("grep", outside), is(false));
        p.add("grep", "* in " + dir.toRealPath() + "*");
        assertThat(p.allows("grep", outside), is(true));

        String found = inSrc.run(NOBODY).content();
        assertThat(found, is("src/a.txt:1:TODO inside\n"));
        assertThat(found, not(containsString("secret")));
    }

    @Test
    void globListsOnlyWhatIsUnderTheWorkingDirectory() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(dir.resolve("secret.txt"), "x");
        assertThat(run(new GlobTool(), work, in("pattern", "../*")).content(), is("No matches."));
        assertThat(run(new GlobTool(), work, in("pattern", dir.toRealPath() + "/*")).content(), is("No matches."));
    }

    @Test
    void readCapsLargeFiles() throws Exception {
        Files.writeString(dir.resolve("big.txt"), "x".repeat(ReadTool.MAX_CHARS + 500));
        String out = run(new ReadTool(), in("path", "big.txt")).content();
        assertThat(out, containsString("[truncated: 500 more characters]"));
    }

    @Test
    void bashReportsExitCodeAndOutputAndStopsAtTheTimeout() {
        Tool.ToolResult ok = run(new BashTool(Duration.ofSeconds(5)), in("command", "echo hi; echo oops >&2; exit 3"));
        assertThat(ok.error(), is(true));
        assertThat(ok.content(), containsString("exit code: 3"));
        assertThat(ok.content(), containsString("stdout:\nhi"));
        assertThat(ok.content(), containsString("stderr:\noops"));
        Tool.ToolResult slow = run(new BashTool(Duration.ofMillis(300)), in("command", "sleep 5"));
        assertThat(slow.error(), is(true));
        assertThat(slow.content(), containsString("Timed out"));
    }

    @Test
    void bashReturnsWhenTheCommandExitsEvenIfABackgroundChildHoldsItsOutput() {
        long start = System.nanoTime();
        Tool.ToolResult r = run(new BashTool(Duration.ofSeconds(20)), in("command", "sleep 30 & echo started $!"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String pid = r.content().replaceAll("(?s).*started (\\d+).*", "$1");
        try {
            assertThat(r.content(), containsString("exit code: 0\nstdout:\nstarted "));
            assertThat("returned after the grace period, not with the child: " + took,
                    took.compareTo(Duration.ofSeconds(5)) < 0, is(true));
            // Whether the note "a background process still holds the output" appears depends on a race in the
            // JDK: a process that has exited has its pipe drained and closed, unless a reader is already blocked
            // on it. Either way the tool returns at once; that is what is checked.
        } finally {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aTimeoutKillsEveryProcessTheCommandStarted() throws Exception {
        long start = System.nanoTime();
        Tool.ToolResult r = run(new BashTool(Duration.ofMillis(500)), in("command",
                "sleep 30 & echo $! > bg.pid; echo waiting; sleep 30"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.error(), is(true));
        assertThat(r.content(), containsString("Timed out"));
        assertThat(r.content(), containsString("stdout:\nwaiting"));
        assertThat("within the timeout and about a second: " + took, took.compareTo(Duration.ofMillis(2500)) < 0,
                is(true));
        long pid = Long.parseLong(Files.readString(dir.resolve("bg.pid")).strip());
        var child = ProcessHandle.of(pid);
        if (child.isPresent()) {
            child.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat("the background child was killed too", ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                .orElse(false), is(false));
    }

    @Test
    void fetchFailsClearlyWhenNothingAnswers() {
        Tool.ToolResult r = run(new FetchTool(Duration.ofSeconds(2)), in("url", "http://127.0.0.1:9/"));
        assertThat(r.error(), is(true));
        assertThat(r.content(), containsString("Fetch failed"));
        assertThat(execute("fetch", in("url", "file:///etc/passwd"), (t, c) -> true).getString("content"),
                containsString("only http and https"));
    }

    private Tool.Call fetch(String url) {
        return new FetchTool(Duration.ofSeconds(5)).prepare(in("url", url), dir);
    }

    @Test
    void fetchReachesAPrivateAddressOnlyWhenTheApprovalNamesTheHost() {
        try (LocalSite site = LocalSite.start().page("/secret", "loopback secret")) {
            Tool.Call byAddress = fetch(site.url("/secret"));
            Tool.Call byName = fetch("http://localhost:" + site.port() + "/secret");
            assertThat(byAddress.unusual(), is("127.0.0.1 is a loopback address"));
            assertThat("the resolved address counts, not the name", byName.unusual(),
                    containsString("is a loopback address"));
            ToolPatterns p = new ToolPatterns(dir.resolve("p.json"));
            p.add("fetch", "http*");
            p.add("fetch", "http://*");
            p.add("fetch", "regex:.*");
            p.add("fetch", "http://127.0.0.*");
            assertThat(p.allows("fetch", byAddress), is(false));
            assertThat(p.allows("fetch", byName), is(false));
            p.add("fetch", "http://127.0.0.1:" + site.port() + "/*");
            assertThat(p.allows("fetch", byAddress), is(true));
            assertThat(p.allows("fetch", byName), is(false));
            p.add("fetch", "http://localhost:*");
            assertThat(p.allows("fetch", byName), is(true));
            assertThat(byAddress.run(NOBODY).content(), is("HTTP 200\nloopback secret"));
        }
    }

    @Test
    void privateAddressesAreKnownInEveryForm() throws Exception {
        Map<String, String> kinds = new java.util.LinkedHashMap<>();
        kinds.put("127.0.0.1", "loopback");
        kinds.put("127.9.9.9", "loopback");
        kinds.put("::1", "loopback");
        kinds.put("::ffff:127.0.0.1", "loopback");
        kinds.put("::127.0.0.1", "loopback");
        kinds.put("64:ff9b::7f00:1", "loopback");
        kinds.put("2002:7f00:1::", "loopback");
        kinds.put("0.0.0.0", "unspecified");
        kinds.put("::", "unspecified");
        kinds.put("10.1.2.3", "private");
        kinds.put("172.16.0.1", "private");
        kinds.put("192.168.1.1", "private");
        kinds.put("100.64.0.1", "private");
        kinds.put("fd00::1", "private");
        kinds.put("fc00::1", "private");
        kinds.put("169.254.169.254", "link-local");
        kinds.put("fe80::1", "link-local");
        kinds.put("224.0.0.1", "multicast");
        kinds.put("8.8.8.8", null);
        kinds.put("172.32.0.1", null);
        kinds.put("2606:4700::1111", null);
        for (var e : kinds.entrySet()) {
            assertThat(e.getKey(), PrivateAddresses.kind(java.net.InetAddress.getByName(e.getKey())), is(e.getValue()));
        }
    }

    @Test
    void aRedirectToAnotherOriginIsANewCallToApproveAndOneWithinTheOriginIsFollowed() {
        try (LocalSite other = LocalSite.start().page("/secret", "other origin");
             LocalSite site = LocalSite.start().redirect("/away", other.url("/secret"))
                     .redirect("/moved", "/here").page("/here", "same origin")) {
            List<String> asked = new java.util.ArrayList<>();
            Tool.ToolResult refused = fetch(site.url("/away")).run((tool, call) -> {
                asked.add(call.describe());
                return false;
            });
            assertThat(refused.error(), is(true));
            assertThat(refused.content(), containsString("which was not approved; not followed"));
            assertThat(asked, is(List.of("GET " + other.url("/secret") + " (redirected from " + site.url("/away")
                    + ") [127.0.0.1 is a loopback address]")));
            assertThat(other.hits("/secret"), is(0));

            assertThat(fetch(site.url("/away")).run((tool, call) -> true).content(),
                    is("HTTP 200 from " + other.url("/secret") + "\nother origin"));
            assertThat(fetch(site.url("/moved")).run(NOBODY).content(),
                    is("HTTP 200 from " + site.url("/here") + "\nsame origin"));
        }
    }

    @Test
    void patternsMatchGlobsAndRegexesAndSurviveReloading() {
        ToolPatterns p = new ToolPatterns(dir.resolve("p.json"));
        p.add("bash", "git status*");
        p.add("read", "regex:src/.*\\.java");
        assertThat(p.allows("bash", bash("git status --short")), is(true));
        assertThat(p.allows("bash", bash("git push")), is(false));
        assertThat(p.allows("read", read("src/Main.java")), is(true));
        assertThat(p.allows("read", read("etc/passwd")), is(false));
        ToolPatterns again = new ToolPatterns(dir.resolve("p.json"));
        assertThat(again.rules().size(), is(2));
        assertThat(again.remove(1), is(true));
        assertThat(new ToolPatterns(dir.resolve("p.json")).allows("bash", bash("git status")), is(false));
    }

    @Test
    void exactlyThisIsLiteralWhateverTheArgumentLooksLike() throws Exception {
        ToolPatterns p = new ToolPatterns(dir.resolve("p.json"));
        p.add(new ToolPatterns.Rule("bash", ToolPatterns.Kind.LITERAL, "regex:.+"));
        p.add(new ToolPatterns.Rule("bash", ToolPatterns.Kind.LITERAL, "ls *"));
        assertThat(p.allows("bash", bash("regex:.+")), is(true));
        assertThat(p.allows("bash", bash("rm -rf x")), is(false));
        assertThat(p.allows("bash", bash("ls *")), is(true));
        assertThat(p.allows("bash", bash("ls secret")), is(false));
        ToolPatterns again = new ToolPatterns(dir.resolve("p.json"));
        assertThat(again.allows("bash", bash("rm -rf x")), is(false));
        assertThat(Files.readString(dir.resolve("p.json")), containsString(
                "{\"tool\":\"bash\",\"kind\":\"literal\",\"pattern\":\"regex:.+\"}"));
    }

    @Test
    void patternsSavedBeforeKindsExistedReadAsTheyWereMeant() throws Exception {
        Files.writeString(dir.resolve("old.json"), "{\"patterns\":[{\"tool\":\"bash\",\"pattern\":\"regex:ls( -l)?\"},"
                + "{\"tool\":\"read\",\"pattern\":\"src/*\"}]}");
        ToolPatterns old = new ToolPatterns(dir.resolve("old.json"));
        assertThat(old.rules(), is(List.of(new ToolPatterns.Rule("bash", ToolPatterns.Kind.REGEX, "ls( -l)?"),
                new ToolPatterns.Rule("read", ToolPatterns.Kind.GLOB, "src/*"))));
        assertThat(old.allows("bash", bash("ls -l")), is(true));
        assertThat(old.allows("read", read("src/Main.java")), is(true));
    }

    @Test
    void aBashPatternApprovesOneSimpleCommandUnlessItNamesTheOperators() {
        ToolPatterns p = new ToolPatterns(dir.resolve("p.json"));
        p.add("bash", "echo *");
        p.add("bash", "git status*");
        assertThat(p.allows("bash", bash("echo hello 'a;b' \"c|d\"")), is(true));
        assertThat(p.allows("bash", bash("git status --short")), is(true));
        for (String smuggled : List.of("echo hi; rm -rf x", "echo hi && rm x", "git status || rm x",
                "echo hi | sh", "git status & rm x", "echo $(rm x)", "echo ${x:=1}", "echo `rm x`",
                "echo \"$(rm x)\"", "echo hi > ~/.bashrc", "echo < /etc/passwd", "echo hi\nrm x", "echo hi\rrm x",
                "git status #'\nrm x #'")) {
            assertThat(smuggled, p.allows("bash", bash(smuggled)), is(false));
        }
        p.add("bash", "make && make test*");
        assertThat("a pattern that names && approves it", p.allows("bash", bash("make && make test -j4")), is(true));
        assertThat(p.allows("bash", bash("make && make test; rm x")), is(false));
        p.add("bash", "regex:.+");
        assertThat(p.allows("bash", bash("ls -la")), is(true));
        assertThat("a regex that names no operator approves only simple commands", p.allows("bash",
                bash("ls; rm x")), is(false));
    }

    @Test
    void theToolBoxDeniesUnknownToolsAndBadInput() {
        ToolBox box = new ToolBox(dir, Duration.ofSeconds(5));
        JsonObject unknown = box.execute(Json.createObjectBuilder().add("type", "tool_use").add("id", "t1")
                .add("name", "rm").add("input", Json.createObjectBuilder()).build(), (t, c) -> true, shown -> { });
        assertThat(unknown.getBoolean("is_error"), is(true));
        JsonObject bad = box.execute(Json.createObjectBuilder().add("type", "tool_use").add("id", "t2")
                .add("name", "bash").add("input", Json.createObjectBuilder()).build(), (t, c) -> true, shown -> { });
        assertThat(bad.getString("content"), containsString("missing string field 'command'"));
        assertThat(box.definitions().toString(), not(containsString("\"rm\"")));
    }
}
