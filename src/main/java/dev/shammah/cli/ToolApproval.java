package dev.shammah.cli;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.shammah.cli.tools.Tool;
import dev.shammah.cli.tools.ToolPatterns;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;

/**
 * Whether the REPL may run a tool call: a remembered pattern, an "always" given for this conversation (for calls
 * like the one it was given after), or the person's answer to the question — and the {@code /patterns} command
 * that edits what is remembered.
 */
final class ToolApproval {
    private final ToolPatterns patterns;
    private final LineReader reader;
    private final PrintWriter out;
    private final Set<String> toolsAllowedThisSession = new HashSet<>();

    ToolApproval(ToolPatterns patterns, LineReader reader, PrintWriter out) {
        this.patterns = patterns;
        this.reader = reader;
        this.out = out;
    }

    /** A new conversation: what "always" allowed is asked again. */
    void forgetSession() {
        toolsAllowedThisSession.clear();
    }

    /** Asks the person about one tool call, unless a pattern or an earlier "always" already allows it. */
    boolean approve(Tool tool, Tool.Call call) {
        String argument = call.argument();
        if (patterns.allows(tool.name(), call)) {
            out.println("  (allowed by a remembered pattern)");
            return true;
        }
        // "Always" applies the same rule as a pattern: it was given after reading one call, and covers calls like
        // it — a simple bash command, a path inside the working directory, a public host. An unusual call (a
        // command chained after it, a path out of the folder, a loopback port) is what a person must see: asked.
        if (toolsAllowedThisSession.contains(tool.name()) && call.unusual() == null) {
            out.println("  (allowed for this session)");
            return true;
        }
        if (call.unusual() != null) {
            out.println("  note: " + VisibleText.escape(call.unusual()));
        }
        while (true) {
            String answer;
            try {
                answer = reader.readLine("  allow? [y]es once, [a]lways " + tool.name() + " this session, "
                        + "[p]attern, [n]o: ").strip().toLowerCase(Locale.ROOT);
            } catch (UserInterruptException | EndOfFileException e) {
                return false;
            }
            switch (answer) {
                case "y", "yes" -> {
                    return true;
                }
                case "a", "always" -> {
                    toolsAllowedThisSession.add(tool.name());
                    return true;
                }
                case "p", "pattern" -> {
                    String typed;
                    try {
                        typed = reader.readLine("  pattern for " + tool.name() + " (glob, or regex:…; empty = exactly "
                                + "this): ").strip();
                    } catch (UserInterruptException | EndOfFileException e) {
                        return false;
                    }
                    try {
                        // Empty means this very argument, literally: never read as a glob or a regex:… prefix.
                        ToolPatterns.Rule rule = patterns.add(typed.isEmpty()
                                ? new ToolPatterns.Rule(tool.name(), ToolPatterns.Kind.LITERAL, argument)
                                : ToolPatterns.Rule.typed(tool.name(), typed));
                        out.println("  remembered: " + VisibleText.escape(rule.toString()));
                        return true;
                    } catch (RuntimeException e) {
                        out.println("  not a valid pattern: " + e.getMessage());
                    }
                }
                case "n", "no", "" -> {
                    return false;
                }
                default -> out.println("  please answer y, a, p or n");
            }
        }
    }

    /** {@code /patterns}: lists, adds or removes remembered approvals. */
    void patternsCommand(String arg) {
        String[] p = arg.isEmpty() ? new String[0] : arg.split("\\s+", 3);
        if (p.length == 0) {
            List<ToolPatterns.Rule> rules = patterns.rules();
            if (rules.isEmpty()) {
                out.println("No remembered tool approvals. Add one with /patterns add <tool> <pattern>.");
            }
            for (int i = 0; i < rules.size(); i++) {
                out.println((i + 1) + ". " + VisibleText.escape(rules.get(i).toString()));
            }
        } else if (p[0].equals("add") && p.length == 3) {
            try {
                patterns.add(p[1], p[2]);
                out.println("Remembered: " + p[1] + " " + p[2]);
            } catch (RuntimeException e) {
                out.println("Not a valid pattern: " + e.getMessage());
            }
        } else if (p[0].equals("remove") && p.length == 2) {
            try {
                out.println(patterns.remove(Integer.parseInt(p[1])) ? "Removed." : "No pattern number " + p[1] + ".");
            } catch (NumberFormatException e) {
                out.println("Usage: /patterns remove <number>");
            }
        } else {
            out.println("Usage: /patterns | /patterns add <tool> <glob|regex:re> | /patterns remove <number>");
        }
    }
}
