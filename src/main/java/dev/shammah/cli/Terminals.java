package dev.shammah.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import dev.shammah.cli.tools.ToolBox;
import dev.shammah.cli.tools.ToolPatterns;
import dev.shammah.config.ShammahConfig;
import dev.shammah.engine.Engine;
import org.jline.terminal.Terminal;

/** Builds the terminal modes for {@code Main}: against the engine in this process, or a daemon. */
public final class Terminals {
    private Terminals() {
    }

    static ToolPatterns patterns(ShammahConfig config) {
        return new ToolPatterns(config.dataDir().resolve("tool_patterns.json"));
    }

    /** {@code query} answered by this process's engine. */
    public static int query(Engine engine, ShammahConfig config, Invocation io, List<String> args) {
        return new QueryCommand(new InProcessAnswerer(engine), config.cli(), io, patterns(config), io.workingDir())
                .run(args);
    }

    /** {@code query --daemon URL}: answered by a running daemon; this process loads no model. */
    public static int query(URI daemon, ShammahConfig config, Invocation io, List<String> args) {
        String key = io.env().getOrDefault("SHAMMAH_API_KEY", "");
        return new QueryCommand(new DaemonAnswerer(daemon, key), config.cli(), io, patterns(config), io.workingDir())
                .run(args);
    }

    /** The REPL on this process's engine, with tools in the working directory. */
    public static int repl(Engine engine, ShammahConfig config, Terminal terminal, Path workingDir) {
        return new Repl(new InProcessAnswerer(engine), engine.sessions(), engine.learning(), config.cli(), terminal,
                config.dataDir().resolve("history"), patterns(config), new ToolBox(workingDir,
                config.cli().toolTimeout()), config.cli().maxToolIterations()).run();
    }
}
