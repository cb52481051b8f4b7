package dev.shammah.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.shammah.cli.tools.ToolBox;
import dev.shammah.cli.tools.ToolPatterns;
import dev.shammah.config.CliSettings;
import dev.shammah.engine.Turn;
import dev.shammah.persist.PrivateFiles;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;

/**
 * The interactive terminal: a streamed conversation held in a session of the engine, slash commands, and the
 * tool loop with the person's approval for every call.
 */
public final class Repl {
    static final String HELP = """
            Type a message and press Enter (end a line with \\ to continue it). Ctrl-C stops an answer, Ctrl-D leaves.
              /help              this help
              /session           the current session: id, turns, tokens
              /clear             start a new conversation
              /metrics           local vs forwarded answers, latency, estimated cost saved
              /training          what the learning core has learned so far
              /model             the local models and where they run
              /local <question>  answer from what was learned, or say there is nothing
              /forward <question> ask Claude, whatever the router would do
              /patterns [add <tool> <glob|regex:re> | remove <n>]  remembered tool approvals
              /quit              leave
            """;
    static final List<String> COMMANDS = List.of("/help", "/session", "/clear", "/metrics", "/training", "/model",
            "/local", "/forward", "/patterns", "/quit");

    private final Answerer answerer;
    private final CliSettings settings;
    private final Terminal terminal;
    private final Path historyFile;
    private final ToolPatterns patterns;
    /** Set once the terminal's reader and writer exist ({@link #run}). */
    private ToolApproval approval;
    private final ToolBox tools;
    private final int maxToolIterations;
    private final boolean fancy;
    private final ReplStats stats;
    private LineReader reader;
    private PrintWriter out;
    private Conversation conversation = new Conversation(null);

    Repl(Answerer answerer, CliSettings settings, Terminal terminal, Path historyFile, ToolPatterns patterns,
         ToolBox tools, int maxToolIterations) {
        this.answerer = answerer;
        this.stats = new ReplStats(answerer);
        this.settings = settings;
        this.terminal = terminal;
        this.historyFile = historyFile;
        this.patterns = patterns;
        this.tools = tools;
        this.maxToolIterations = maxToolIterations;
        // Spinners and colours only on a real terminal: piped output and dumb terminals get plain text.
        this.fancy = !Terminal.TYPE_DUMB.equals(terminal.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
    }

    public int run() {
        try {
            PrivateFiles.createDirectories(historyFile.getParent());
            if (!Files.exists(historyFile)) {
                Files.createFile(historyFile, PrivateFiles.fileAttributes(historyFile));
            }
        } catch (IOException e) {
            // History is a convenience: without a writable directory the REPL still works.
        }
        // Messages are prose, not shell words: no escape characters, so a trailing backslash reaches us
        // (it continues the message) and backslashes in code stay as typed.
        DefaultParser parser = new DefaultParser();
        parser.setEscapeChars(new char[0]);
        reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .parser(parser)
                .appName("shammah")
                .variable(LineReader.HISTORY_FILE, historyFile)
                .completer(new StringsCompleter(COMMANDS))
                .build();
        out = terminal.writer();
        approval = new ToolApproval(patterns, reader, out);
        out.println("Shammah — type /help for commands, /quit to leave." + ("in-process".equals(answerer.where())
                ? "" : " (answers from the " + answerer.where() + ")"));
        out.flush();
        while (true) {
            String line;
            try {
                line = readMessage();
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                break;
            }
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("/")) {
                if (!command(line.strip())) {
                    break;
                }
            } else {
                ask(line.strip(), Turn.Route.AUTO);
            }
            out.flush();
        }
        try {
            reader.getHistory().save();
            PrivateFiles.restrict(historyFile);
        } catch (IOException e) {
            out.println("(could not save history: " + e.getMessage() + ")");
        }
        out.flush();
        return 0;
    }

    private boolean sessionExpired(String message) {
        return conversation.sessionId() != null && message != null && message.contains("expired or was evicted");
    }

    /** The server no longer holds this conversation: say so, and ask again in a new one. */
    private void restartExpired(String text, Turn.Route route) {
        out.println("[the server no longer holds this conversation (it expired); starting a new one]");
        conversation = new Conversation(null);
        approval.forgetSession();
        ask(text, route);
    }

    /** One message; a trailing backslash continues it on the next line. */
    private String readMessage() {
        StringBuilder sb = new StringBuilder();
        String prompt = "you> ";
        while (true) {
            String line = reader.readLine(prompt);
            if (line.endsWith("\\")) {
                sb.append(line, 0, line.length() - 1).append('\n');
                prompt = "...> ";
            } else {
                return sb.append(line).toString();
            }
        }
    }

    /** Runs a slash command; false means leave. */
    private boolean command(String line) {
        String[] parts = line.split("\\s+", 2);
        String arg = parts.length > 1 ? parts[1].strip() : "";
        switch (parts[0]) {
            case "/quit", "/exit" -> {
                return false;
            }
            case "/help" -> out.print(HELP);
            case "/clear" -> {
                conversation = new Conversation(null);
                approval.forgetSession();
                out.println("New conversation.");
            }
            case "/session" -> out.println(describeSession());
            case "/metrics" -> out.println(stats.report());
            case "/training" -> out.println(training());
            case "/model" -> out.println(model());
            case "/patterns" -> approval.patternsCommand(arg);
            case "/local", "/forward" -> {
                if (arg.isEmpty()) {
                    out.println("Usage: " + parts[0] + " <question>");
                } else {
                    ask(arg, parts[0].equals("/local") ? Turn.Route.LOCAL : Turn.Route.FORWARD);
                }
            }
            default -> out.println("Unknown command " + parts[0] + ". Type /help for the list.");
        }
        return true;
    }

    private void ask(String text, Turn.Route route) {
        AtomicBoolean cancel = new AtomicBoolean();
        Spinner spinner = fancy ? Spinner.start(terminal) : null;
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> cancel.set(true));
        long start = System.nanoTime();
        AgentLoop.Outcome o;
        try {
            AgentLoop loop = new AgentLoop(answerer, tools, approval::approve, maxToolIterations);
            o = loop.ask(text, conversation, new AgentLoop.Options(settings.model(), settings.maxTokens(), null, true,
                    route), new AgentLoop.Listener() {
                        @Override
                        public void route(String r) {
                            if (spinner != null) {
                                spinner.label("local".equals(r) ? "local" : "claude");
                            }
                        }

                        @Override
                        public void firstToken() {
                            if (spinner != null) {
                                spinner.stop();
                            }
                        }

                        @Override
                        public void text(String delta) {
                            out.print(delta);
                            out.flush();
                        }

                        @Override
                        public void toolCall(String description) {
                            if (spinner != null) {
                                spinner.stop();
                            }
                            out.println();
                            out.println("[tool] " + description);
                            out.flush();
                        }

                        @Override
                        public void toolResult(String summary, boolean error) {
                            out.println(error ? "[tool failed] " + summary : "[tool ok] " + summary);
                            out.flush();
                        }

                        @Override
                        public void notice(String message) {
                            out.println();
                            out.println("[" + message + "]");
                        }
                    }, cancel::get);
        } catch (RuntimeException e) {
            if (spinner != null) {
                spinner.stop();
            }
            if (sessionExpired(e.getMessage())) {
                restartExpired(text, route);
                return;
            }
            out.println("error: " + e.getMessage());
            return;
        } finally {
            if (spinner != null) {
                spinner.stop();
            }
            terminal.handle(Terminal.Signal.INT, previous);
        }
        long micros = (System.nanoTime() - start) / 1000;
        if (o.cancelled()) {
            out.println();
            out.println("[cancelled]");
            return;
        }
        if (!o.reply().ok()) {
            if (o.reply().status() == 404 && sessionExpired(TextOutput.errorMessage(o.reply().body()))) {
                restartExpired(text, route);
                return;
            }
            out.println("error: HTTP " + o.reply().status() + " " + TextOutput.errorMessage(o.reply().body()));
            return;
        }
        boolean local = "local".equals(o.route());
        stats.record(micros, local);
        out.println();
        out.println(stats.footer(o, micros));
    }

    private String describeSession() {
        if (conversation.sessionId() == null) {
            return "No conversation yet: the first message starts one.";
        }
        return answerer.describeSession(conversation.sessionId());
    }

    private String training() {
        return answerer.training();
    }

    private String model() {
        return answerer.models();
    }
}
