package dev.shammah.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.shammah.cli.tools.Approver;
import dev.shammah.cli.tools.ToolBox;
import dev.shammah.cli.tools.ToolPatterns;
import dev.shammah.config.CliSettings;
import dev.shammah.engine.Turn;
import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.session.SessionIds;

/**
 * {@code shammah query [options] [TEXT | -]}: one answer on stdout for shell pipelines. With no text or
 * {@code -} the prompt is stdin; with text and a piped stdin, stdin is appended after the text
 * ({@code git diff | shammah query "review this"}). Messages go to stderr only.
 */
public final class QueryCommand {
    private final Answerer answerer;
    private final CliSettings settings;
    private final Invocation io;
    private final ToolPatterns patterns;
    private final Path workingDir;

    QueryCommand(Answerer answerer, CliSettings settings, Invocation io, ToolPatterns patterns,
                 Path workingDir) {
        this.answerer = answerer;
        this.settings = settings;
        this.io = io;
        this.patterns = patterns;
        this.workingDir = workingDir;
    }

    /** The query's own options, parsed. */
    record Options(boolean json, boolean stream, String session, Turn.Route route, String system, int maxTokens,
                   String model, boolean tools, List<String> words) {
    }

    /** Parses the query's arguments; null (after printing why) on a usage error. */
    static Options parse(List<String> args, CliSettings settings, PrintStream err) {
        boolean json = false;
        boolean stream = false;
        boolean tools = false;
        String session = null;
        String system = null;
        String model = settings.model();
        int maxTokens = settings.maxTokens();
        Turn.Route route = Turn.Route.AUTO;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--json" -> json = true;
                case "--stream" -> stream = true;
                case "--tools" -> tools = true;
                case "--local", "--forward" -> {
                    if (route != Turn.Route.AUTO) {
                        err.println("shammah query: --local and --forward exclude each other");
                        return null;
                    }
                    route = a.equals("--local") ? Turn.Route.LOCAL : Turn.Route.FORWARD;
                }
                case "--session", "--system", "--model", "--max-tokens", "--daemon" -> {
                    if (i + 1 >= args.size()) {
                        err.println("shammah query: " + a + " needs a value");
                        return null;
                    }
                    String v = args.get(++i);
                    switch (a) {
                        case "--session" -> {
                            // A usage error here, in-process or with a daemon: not the daemon's 400 passed on.
                            if (!SessionIds.valid(v)) {
                                err.println("shammah query: --session must be 1-128 letters, digits, '_' or '-' "
                                        + "(got '" + v + "')");
                                return null;
                            }
                            session = v;
                        }
                        case "--system" -> system = v;
                        case "--model" -> model = v;
                        case "--daemon" -> {
                            // handled by Main before the query runs
                        }
                        default -> {
                            try {
                                maxTokens = Integer.parseInt(v);
                                if (maxTokens < 1) {
                                    throw new NumberFormatException();
                                }
                            } catch (NumberFormatException e) {
                                err.println("shammah query: --max-tokens needs a positive integer, not '" + v + "'");
                                return null;
                            }
                        }
                    }
                }
                default -> {
                    if (a.startsWith("--")) {
                        err.println("shammah query: unknown option " + a + " (see shammah --help)");
                        return null;
                    }
                    words.add(a);
                }
            }
        }
        return new Options(json, stream && !json, session, route, system, maxTokens, model, tools, words);
    }

    public int run(List<String> args) {
        Options o = parse(args, settings, io.err());
        if (o == null) {
            return Exit.USAGE.code();
        }
        String prompt;
        try {
            prompt = prompt(String.join(" ", o.words()));
        } catch (IOException e) {
            io.err().println("shammah query: cannot read stdin: " + e.getMessage());
            return Exit.FAILED.code();
        }
        if (prompt.isBlank()) {
            io.err().println("shammah query: no prompt; give text or pipe it on stdin");
            return Exit.USAGE.code();
        }
        // No one to ask in a pipeline: only calls a remembered pattern allows may run; the rest are denied.
        boolean[] endedWithNewline = {true};
        AgentLoop loop = new AgentLoop(answerer, o.tools() ? new ToolBox(workingDir, settings.toolTimeout()) : null,
                Approver.patternsOnly(patterns), settings.maxToolIterations());
        try {
            Conversation conversation = new Conversation(o.session());
            AgentLoop.Outcome outcome = loop.ask(prompt, conversation, new AgentLoop.Options(o.model(), o.maxTokens(),
                    o.system(), o.stream(), o.route()), new AgentLoop.Listener() {
                        @Override
                        public void firstToken() {
                        }

                        @Override
                        public void text(String delta) {
                            if (!o.json() && !delta.isEmpty()) {
                                io.out().print(delta);
                                io.out().flush();
                                endedWithNewline[0] = delta.endsWith("\n");
                            }
                        }

                        @Override
                        public void toolCall(String description) {
                            // The turn's text so far ends its line: the next turn's text must not run on from it.
                            if (!o.json() && !endedWithNewline[0]) {
                                io.out().println();
                                io.out().flush();
                                endedWithNewline[0] = true;
                            }
                            io.err().println("[tool] " + description);
                        }

                        @Override
                        public void toolResult(String summary, boolean error) {
                            io.err().println(error ? "[tool failed] " + summary : "[tool ok] " + summary);
                        }

                        @Override
                        public void notice(String message) {
                            io.err().println("[" + message + "]");
                        }
                    }, () -> false);
            owedNotice(conversation);
            if (!outcome.reply().ok()) {
                io.err().println("shammah query: HTTP " + outcome.reply().status() + ": "
                        + TextOutput.errorMessage(outcome.reply().body()));
                return outcome.reply().status() == 503 ? Exit.NO_ROUTE.code() : Exit.FAILED.code();
            }
            if (o.json()) {
                io.out().println(outcome.reply().body());
            } else if (!endedWithNewline[0]) {
                io.out().println();
            }
            io.out().flush();
            return Exit.OK.code();
        } catch (ShammahException e) {
            io.err().println("shammah query: " + e.getMessage());
            return e.type() == ErrorType.UNAVAILABLE ? Exit.NO_ROUTE.code() : Exit.FAILED.code();
        }
    }

    /**
     * A query sends one message; the tool calls its loop left unanswered (it stopped at max-tool-iterations, or a
     * round failed) stay open in the session, and Claude refuses the session's next message unless it answers
     * them first. The REPL does that itself; here the person continuing with --session is told.
     */
    private void owedNotice(Conversation conversation) {
        if (!conversation.unanswered().isEmpty() && conversation.sessionId() != null) {
            io.err().println("[session " + conversation.sessionId() + " ends with " + conversation.unanswered().size()
                    + " tool call(s) not run; a message continuing it must first answer "
                    + String.join(", ", conversation.unanswered()) + " with tool_result blocks]");
        }
    }

    private String prompt(String text) throws IOException {
        if (text.isBlank() || text.equals("-")) {
            return readStdin();
        }
        if (io.stdinIsTerminal()) {
            return text;
        }
        String piped = readStdin();
        return piped.isBlank() ? text : text + "\n\n" + piped;
    }

    private String readStdin() throws IOException {
        return new String(io.in().readAllBytes(), StandardCharsets.UTF_8);
    }
}
