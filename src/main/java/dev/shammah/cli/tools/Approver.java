package dev.shammah.cli.tools;

import jakarta.json.JsonObject;

/** Decides whether one tool call may run. */
public interface Approver {
    boolean approve(Tool tool, JsonObject input);

    /** Non-interactive use ({@code query --tools}): only calls a remembered pattern allows; nobody to ask. */
    static Approver patternsOnly(ToolPatterns patterns) {
        return (tool, input) -> patterns.allows(tool.name(), tool.argument(input));
    }
}
