package dev.shammah.cli.tools;

/** Decides whether one tool call may run. */
public interface Approver {
    boolean approve(Tool tool, Tool.Call call);

    /** Non-interactive use ({@code query --tools}): only calls a remembered pattern allows; nobody to ask. */
    static Approver patternsOnly(ToolPatterns patterns) {
        return (tool, call) -> patterns.allows(tool.name(), call);
    }
}
