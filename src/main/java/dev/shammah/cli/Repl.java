package dev.shammah.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.shammah.api.RequestId;
import dev.shammah.config.CliSettings;
import dev.shammah.engine.Engine;
import dev.shammah.engine.EngineReply;
import dev.shammah.engine.Turn;
import dev.shammah.errors.ShammahException;
import dev.shammah.session.SessionSnapshot;
import dev.shammah.upstream.ForwardedHeaders;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;

/**
 * The interactive terminal: one conversation held in a session of the engine, with line editing and a
 * persistent history file.
 */
public final class Repl {
    static final String HELP = """
            Type a message and press Enter. Commands:
              /help      this help
              /session   the current session: id, turns, tokens
              /clear     start a new conversation
              /quit      leave (Ctrl-D works too)
            """;

    private final Engine engine;
    private final CliSettings settings;
    private final Terminal terminal;
    private final Path historyFile;
    private String sessionId;

    public Repl(Engine engine, CliSettings settings, Terminal terminal, Path historyFile) {
        this.engine = engine;
        this.settings = settings;
        this.terminal = terminal;
        this.historyFile = historyFile;
    }

    public int run() {
        try {
            Files.createDirectories(historyFile.getParent());
        } catch (IOException e) {
            // History is a convenience: without a writable directory the REPL still works.
        }
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("shammah")
                .variable(LineReader.HISTORY_FILE, historyFile)
                .completer(new StringsCompleter("/help", "/session", "/clear", "/quit"))
                .build();
        PrintWriter out = terminal.writer();
        out.println("Shammah — type /help for commands, /quit to leave.");
        out.flush();
        while (true) {
            String line;
            try {
                line = reader.readLine("you> ");
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                break;
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("/")) {
                if (!command(line, out)) {
                    break;
                }
            } else {
                ask(line, out);
            }
            out.flush();
        }
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            out.println("(could not save history: " + e.getMessage() + ")");
        }
        out.flush();
        return 0;
    }

    /** Runs a slash command; false means leave. */
    private boolean command(String line, PrintWriter out) {
        String name = line.split("\\s+", 2)[0];
        switch (name) {
            case "/quit", "/exit" -> {
                return false;
            }
            case "/help" -> out.print(HELP);
            case "/clear" -> {
                sessionId = null;
                out.println("New conversation.");
            }
            case "/session" -> out.println(describeSession());
            default -> out.println("Unknown command " + name + ". Type /help for the list.");
        }
        return true;
    }

    private String describeSession() {
        if (sessionId == null) {
            return "No conversation yet: the first message starts one.";
        }
        return engine.sessions().find(sessionId)
                .map(session -> {
                    SessionSnapshot s = session.snapshot();
                    return "session " + s.id() + ": " + s.turns() + " turns, " + s.messageCount() + " messages, "
                            + s.inputTokens() + " input / " + s.outputTokens() + " output tokens";
                })
                .orElse("Session " + sessionId + " has expired; the next message starts a new one.");
    }

    private void ask(String text, PrintWriter out) {
        try {
            EngineReply reply = engine.answer(new Turn(Prompts.userTurn(settings, text, sessionId),
                    ForwardedHeaders.NONE, RequestId.generate().value()));
            if (reply.ok()) {
                sessionId = reply.sessionId();
                out.println(TextOutput.answerText(reply.body()));
            } else {
                out.println("error: HTTP " + reply.status() + " " + TextOutput.errorMessage(reply.body()));
            }
        } catch (ShammahException e) {
            out.println("error: " + e.getMessage());
        }
    }
}
