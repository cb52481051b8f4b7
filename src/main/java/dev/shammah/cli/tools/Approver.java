package dev.shammah.cli.tools;

/** Decides whether one tool call may run. */
public interface Approver {
    /** What the model (and the person) is told about a call that was not approved. */
    String NOT_ASKED = "Not run: shammah query asks nobody (it runs without a terminal) and no saved pattern "
            + "allows this call. Tool calls need approval: pre-approve them with a pattern, e.g. in the REPL "
            + "/patterns add bash git status*";

    boolean approve(Tool tool, Tool.Call call);

    /** Why a call this approver did not approve was not run. */
    default String refusal() {
        return "The user denied this tool call.";
    }

    /** Non-interactive use ({@code query --tools}): only calls a remembered pattern allows; nobody to ask. */
    static Approver patternsOnly(ToolPatterns patterns) {
        return new Approver() {
            @Override
            public boolean approve(Tool tool, Tool.Call call) {
                return patterns.allows(tool.name(), call);
            }

            @Override
            public String refusal() {
                return NOT_ASKED;
            }
        };
    }
}
