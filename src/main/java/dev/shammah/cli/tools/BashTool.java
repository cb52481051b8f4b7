package dev.shammah.cli.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

/**
 * {@code bash}: runs a command with {@code bash -c}, with a timeout; stdout, stderr and the exit code, capped.
 * A remembered pattern (or "always bash") approves one simple command: {@code ;}, pipes, {@code &},
 * substitutions, redirections and newlines take a pattern that names them, or a person's yes.
 */
public final class BashTool implements Tool {
    static final int MAX_CHARS = 32 * 1024;

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
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            return ToolResult.failed("Cannot start bash: " + e.getMessage());
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return ToolResult.failed("Timed out after " + timeout.toSeconds() + " s\nstdout:\n"
                        + Tool.cap(out.getNow(""), MAX_CHARS));
            }
            String result = "exit code: " + p.exitValue() + "\nstdout:\n" + Tool.cap(out.get(), MAX_CHARS)
                    + "\nstderr:\n" + Tool.cap(err.get(), MAX_CHARS);
            return new ToolResult(result, p.exitValue() != 0);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return ToolResult.failed("Interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            return ToolResult.failed("Cannot read the command's output: " + e.getMessage());
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readNBytes(MAX_CHARS * 4), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
