package dev.shammah.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.shammah.api.RequestId;
import dev.shammah.config.CliSettings;
import dev.shammah.engine.Engine;
import dev.shammah.engine.EngineReply;
import dev.shammah.engine.Turn;
import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.upstream.ForwardedHeaders;

/**
 * {@code shammah query [--json] [--session ID] "text"}: one answer on stdout for shell pipelines. With no text
 * or {@code -} the prompt is stdin; with text and a piped stdin, stdin is appended after the text
 * ({@code git diff | shammah query "review this"}).
 */
public final class QueryCommand {
    /** Exit codes: scripts branch on them. */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int NO_ROUTE = 3;

    private final Engine engine;
    private final CliSettings settings;
    private final Invocation io;

    public QueryCommand(Engine engine, CliSettings settings, Invocation io) {
        this.engine = engine;
        this.settings = settings;
        this.io = io;
    }

    /** Parses the query's own arguments (after the word {@code query}) and answers. */
    public int run(List<String> args) {
        boolean json = false;
        String sessionId = null;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--json" -> json = true;
                case "--session" -> {
                    if (i + 1 >= args.size()) {
                        io.err().println("shammah query: --session needs an id");
                        return USAGE;
                    }
                    sessionId = args.get(++i);
                }
                default -> {
                    if (a.startsWith("--")) {
                        io.err().println("shammah query: unknown option " + a + " (see shammah --help)");
                        return USAGE;
                    }
                    words.add(a);
                }
            }
        }
        String prompt;
        try {
            prompt = prompt(String.join(" ", words));
        } catch (IOException e) {
            io.err().println("shammah query: cannot read stdin: " + e.getMessage());
            return FAILED;
        }
        if (prompt.isBlank()) {
            io.err().println("shammah query: no prompt; give text or pipe it on stdin");
            return USAGE;
        }
        try {
            EngineReply reply = engine.answer(new Turn(Prompts.userTurn(settings, prompt, sessionId),
                    ForwardedHeaders.NONE, RequestId.generate().value()));
            if (!reply.ok()) {
                io.err().println("shammah query: upstream answered HTTP " + reply.status() + ": "
                        + TextOutput.errorMessage(reply.body()));
                return FAILED;
            }
            if (json) {
                io.out().println(reply.body());
            } else {
                String text = TextOutput.answerText(reply.body());
                io.out().print(text);
                if (!text.endsWith("\n")) {
                    io.out().println();
                }
            }
            io.out().flush();
            return OK;
        } catch (ShammahException e) {
            io.err().println("shammah query: " + e.getMessage());
            return e.type() == ErrorType.UNAVAILABLE ? NO_ROUTE : FAILED;
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
