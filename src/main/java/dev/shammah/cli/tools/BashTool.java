package dev.shammah.cli.tools;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

/**
 * {@code bash}: runs a command with {@code bash -c}, with a timeout; stdout, stderr and the exit code, capped.
 * A remembered pattern (or "always bash") approves one simple command: {@code ;}, pipes, {@code &},
 * substitutions, redirections and newlines take a pattern that names them, or a person's yes.
 */
public final class BashTool implements Tool {
    static final int MAX_CHARS = 32 * 1024;
    /** How long to wait for the output to end once the command has exited or been killed. */
    static final Duration GRACE = Duration.ofMillis(500);

    private final Duration timeout;

    public BashTool(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "bash";
    }

    @Override
    public JsonObject definition() {
        return Schemas.tool(name(), "Run a shell command with bash in the working directory. Returns stdout, "
                + "stderr and the exit code; stops it after " + timeout.toSeconds() + " s.", "command", "the command");
    }

    @Override
    public Call prepare(JsonObject input, Path workingDir) {
        String command = Tool.requiredString(input, "command");
        List<String> operators = ShellCommand.operators(command);
        return new Call() {
            @Override
            public String argument() {
                return command;
            }

            @Override
            public String describe() {
                return "bash -c " + command;
            }

            /** A pattern was given for one simple command; more than that must be named (see ShellCommand). */
            @Override
            public String unusual() {
                return operators.isEmpty() ? null : "more than one simple command: " + String.join(" ",
                        operators.stream().map(o -> o.equals("\n") ? "newline" : o.equals("\r") ? "CR" : o).toList());
            }

            @Override
            public boolean namedBy(ToolPatterns.Rule rule) {
                return operators.stream().allMatch(rule.pattern()::contains);
            }

            @Override
            public ToolResult run(Approver approver) {
                return BashTool.this.run(command, workingDir);
            }
        };
    }

    private ToolResult run(String command, Path workingDir) {
        Process p;
        try {
            p = new ProcessBuilder("bash", "-c", command).directory(workingDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            return ToolResult.failed("Cannot start bash: " + e.getMessage());
        }
        OutputCapture out = new OutputCapture(p.getInputStream(), MAX_CHARS * 4, "bash-stdout-" + p.pid());
        OutputCapture err = new OutputCapture(p.getErrorStream(), MAX_CHARS * 4, "bash-stderr-" + p.pid());
        try {
            boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                killTree(p);
            }
            // The output ends with the command unless a background child still holds the pipe: wait a moment only.
            long graceEnd = System.nanoTime() + GRACE.toNanos();
            boolean ended = out.awaitEnd(GRACE) & err.awaitEnd(Duration.ofNanos(graceEnd - System.nanoTime()));
            String output = "stdout:\n" + Tool.cap(out.text(), MAX_CHARS) + "\nstderr:\n" + Tool.cap(err.text(), MAX_CHARS)
                    + (ended ? "" : "\n[a background process still holds the output; what it writes later is not shown]");
            if (!exited) {
                return ToolResult.failed("Timed out after " + timeout.toSeconds() + " s; stopped it and the processes "
                        + "it started\n" + output);
            }
            return new ToolResult("exit code: " + p.exitValue() + "\n" + output, p.exitValue() != 0);
        } catch (InterruptedException e) {
            killTree(p);
            Thread.currentThread().interrupt();
            return ToolResult.failed("Interrupted");
        }
    }

    /**
     * Kills the command and everything it started. The children are found while bash still lives — once it is
     * gone they belong to init and are no longer its descendants — and killed first, so that none is orphaned.
     */
    private static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
