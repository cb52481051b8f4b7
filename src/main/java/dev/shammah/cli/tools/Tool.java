package dev.shammah.cli.tools;

import java.nio.file.Path;

import jakarta.json.JsonObject;

/** A local tool the model may call from the REPL's tool loop. */
public interface Tool {
    /** Name the model calls it by. */
    String name();

    /** The Messages API tool definition: name, description, input_schema. */
    JsonObject definition();

    /** One line a person reads before approving: exactly what will run. */
    String describe(JsonObject input);

    /** The argument approval patterns are matched against (a path, a command, a URL). */
    String argument(JsonObject input);

    /** Runs the call; failures come back as an error result, never as an exception. */
    ToolResult run(JsonObject input, Path workingDir);

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
        if (input == null || !(input.get(field) instanceof jakarta.json.JsonString s)) {
            throw new IllegalArgumentException("missing string field '" + field + "'");
        }
        return s.getString();
    }
}
