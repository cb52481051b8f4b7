package dev.shammah.cli.tools;

import java.nio.file.Path;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/** A local tool the model may call from the REPL's tool loop. */
public interface Tool {
    /** Name the model calls it by. */
    String name();

    /** The Messages API tool definition: name, description, input_schema. */
    JsonObject definition();

    /**
     * Resolves one call before anyone approves it — paths normalised and their links followed, a URL's host
     * looked up — so that what is approved is what runs. Bad input is an {@link IllegalArgumentException}.
     */
    Call prepare(JsonObject input, Path workingDir);

    /** One call, resolved: what approvals match, what a person reads, and how to run it. */
    interface Call {
        /** The argument approval patterns are matched against: a command, a resolved path, a URL. */
        String argument();

        /** One line a person reads before approving: exactly what will run. */
        String describe();

        /**
         * Why a broad approval — a glob or regex pattern, "always this tool" — does not cover this call by
         * matching alone (more than one shell command, a path outside the working directory, a private address);
         * null when it does.
         */
        default String unusual() {
            return null;
        }

        /** Whether a pattern that matches {@link #argument()} also names what is {@link #unusual()}. */
        default boolean namedBy(ToolPatterns.Rule rule) {
            return false;
        }

        /**
         * Runs the call; failures come back as an error result, never as an exception. {@code approver} decides
         * any further call this one leads to (a fetch redirected to another origin).
         */
        ToolResult run(Approver approver);
    }

    /**
     * What a tool call produced.
     *
     * @param content text for the model
     * @param error   whether it failed ({@code is_error} in the tool_result)
     */
    record ToolResult(String content, boolean error) {
        public static ToolResult ok(String content) {
            return new ToolResult(content, false);
        }

        public static ToolResult failed(String message) {
            return new ToolResult(message, true);
        }
    }

    /** Cuts text to {@code max} characters, saying so. */
    static String cap(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "\n… [truncated: " + (text.length() - max)
                + " more characters]";
    }

    static String requiredString(JsonObject input, String field) {
        if (input == null || !(input.get(field) instanceof JsonString s)) {
            throw new IllegalArgumentException("missing string field '" + field + "'");
        }
        return s.getString();
    }
}
