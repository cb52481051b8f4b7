package dev.shammah.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import dev.shammah.cli.tools.ToolBox;
import dev.shammah.cli.tools.ToolPatterns;
import dev.shammah.config.ShammahConfig;
import dev.shammah.engine.Engine;
import dev.shammah.learning.Learning;
import org.jline.terminal.Terminal;

/** Builds the terminal modes for {@code Main}: against the engine in this process, or a daemon. */
public final class Terminals {
    private Terminals() {
    }

    static ToolPatterns patterns(ShammahConfig config) {
        return new ToolPatterns(config.dataDir().resolve("tool_patterns.json"));
    }

    /** {@code query} answered by this process's engine. */
    public static int query(Engine engine, Learning learning, ShammahConfig config, Invocation io,
                            List<String> args) {
        return query(new InProcessAnswerer(engine, learning), config, io, args);
    }

    /** {@code query} answered by a running daemon; this process loads no model. */
    public static int query(URI daemon, ShammahConfig config, Invocation io, List<String> args) {
        return query(daemonAnswerer(daemon, io), config, io, args);
    }

    private static int query(Answerer answerer, ShammahConfig config, Invocation io, List<String> args) {
        return new QueryCommand(answerer, config.cli(), io, patterns(config), io.workingDir()).run(args);
    }

    /** The REPL on this process's engine, with tools in the working directory. */
    public static int repl(Engine engine, Learning learning, ShammahConfig config, Terminal terminal,
                           Path workingDir) {
        return repl(new InProcessAnswerer(engine, learning), config, terminal, workingDir);
    }

    /** The REPL on a running daemon: its sessions, learning and models; tools still run here. */
    public static int repl(URI daemon, ShammahConfig config, Invocation io, Terminal terminal) {
        return repl(daemonAnswerer(daemon, io), config, terminal, io.workingDir());
    }

    private static int repl(Answerer answerer, ShammahConfig config, Terminal terminal, Path workingDir) {
        return new Repl(answerer, config.cli(), terminal, config.dataDir().resolve("history"), patterns(config),
                new ToolBox(workingDir, config.cli().toolTimeout()), config.cli().maxToolIterations()).run();
    }

    private static DaemonAnswerer daemonAnswerer(URI daemon, Invocation io) {
        return new DaemonAnswerer(daemon, io.env().getOrDefault("SHAMMAH_API_KEY", ""));
    }
}
