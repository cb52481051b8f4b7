package dev.shammah;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import dev.shammah.cli.Exit;
import dev.shammah.cli.Invocation;
import dev.shammah.cli.Terminals;
import dev.shammah.cli.UsageCommand;
import dev.shammah.config.ConfigException;
import dev.shammah.config.ShammahConfig;
import dev.shammah.metrics.Logs;
import dev.shammah.persist.DataDirOwner;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code query} and the REPL: which engine they talk to — a daemon named explicitly, else the daemon that owns
 * the data dir, else an in-process one (this process then owns the data dir) — and the terminal they run in.
 */
final class TerminalLauncher {
    private TerminalLauncher() {
    }

    /**
     * {@code query} and the REPL: a daemon named explicitly, else the daemon that owns this data dir, else this
     * process takes the data dir and runs the engine in-process.
     */
    static int run(String command, ShammahConfig config, Invocation io, List<String> rest) {
        if ("usage".equals(command)) {
            return usage(config, io, rest);
        }
        boolean query = "query".equals(command);
        String named = daemonUrl(rest, io, config);
        URI daemon;
        try {
            daemon = named != null ? URI.create(named) : ownersAddress(config, io);
        } catch (IllegalArgumentException e) {
            io.err().println("shammah: --daemon needs a URL such as http://127.0.0.1:8000");
            return Exit.USAGE.code();
        } catch (DataDirBusy e) {
            return Exit.IN_USE.code();
        }
        if (daemon != null) {
            return query ? Terminals.query(daemon, config, io, rest) : repl(daemon, config, io);
        }
        if (query && rest.contains("--session")) {
            io.err().println("shammah query: --session continues a conversation held by a daemon, and none is "
                    + "running for " + config.dataDir() + " (start `shammah daemon`, or name one with --daemon)");
            return Exit.USAGE.code();
        }
        DataDirOwner owner;
        switch (DataDirOwner.claim(config.dataDir(), command == null ? "repl" : command)) {
            case DataDirOwner.Owned o -> owner = o.owner();
            case DataDirOwner.Taken t -> {
                // Someone took it a moment ago: if it is a daemon that is starting, use it.
                try {
                    URI now = ownersAddress(config, io);
                    if (now != null) {
                        return query ? Terminals.query(now, config, io, rest) : repl(now, config, io);
                    }
                } catch (DataDirBusy e) {
                    return Exit.IN_USE.code();
                }
                io.err().println("shammah: data dir " + config.dataDir() + " is in use; try again");
                return Exit.IN_USE.code();
            }
        }
        // The terminal is the conversation's: log records go to data-dir/logs/shammah.log (for the real process;
        // under test, Main runs inside a JVM whose logging is not ours to move).
        if (io.out() == System.out) {
            Logs.toFile(config.dataDir());
        }
        try (owner; App app = App.create(config, Clock.systemUTC())) {
            if (query) {
                return Terminals.query(app.engine(), app.learning(), config, io, rest);
            }
            return repl(app, io);
        } catch (ConfigException e) {
            io.err().println("shammah: " + e.getMessage());
            return Exit.CONFIG.code();
        }
    }

    /**
     * {@code usage}: a daemon named explicitly, else the daemon serving this data dir, else the data dir's files
     * read as they are (never claiming the data dir: a REPL holding it does not stop a report).
     */
    private static int usage(ShammahConfig config, Invocation io, List<String> rest) {
        URI daemon;
        try {
            String named = daemonUrl(rest, io, config);
            daemon = named != null ? URI.create(named) : DataDirOwner.current(config.dataDir())
                    .map(DataDirOwner.Holder::url).filter(u -> u != null).map(URI::create).orElse(null);
        } catch (IllegalArgumentException e) {
            io.err().println("shammah: --daemon needs a URL such as http://127.0.0.1:8000");
            return Exit.USAGE.code();
        }
        return UsageCommand.run(daemon, config, io, rest);
    }

    /** Thrown when the data dir belongs to a process that is not a daemon (after saying so). */
    private static final class DataDirBusy extends Exception {
        DataDirBusy() {
            super(null, null, false, false);
        }
    }

    /**
     * The address of the daemon that owns this data dir, waiting (up to 30 s) for one that is still starting; null
     * when nobody owns it.
     *
     * @throws DataDirBusy when a REPL or {@code query} in-process owns it (they serve nobody)
     */
    private static URI ownersAddress(ShammahConfig config, Invocation io) throws DataDirBusy {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            var holder = DataDirOwner.current(config.dataDir());
            if (holder.isEmpty()) {
                return null;
            }
            DataDirOwner.Holder h = holder.get();
            if (h.url() != null) {
                return URI.create(h.url());
            }
            boolean starting = h.mode().equals("daemon") || h.mode().equals("starting");
            if (!starting || System.nanoTime() > deadline) {
                io.err().println("shammah: data dir " + config.dataDir() + " is in use by " + h.describe()
                        + (starting ? ", which has not started listening" : "")
                        + "; to use one data dir from several processes run `shammah daemon` (query and the REPL "
                        + "then talk to it), or give this one another --data-dir");
                throw new DataDirBusy();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataDirBusy();
            }
        }
    }

    /** {@code --daemon URL} among the query's arguments, else {@code SHAMMAH_DAEMON}, else {@code cli.daemon}. */
    private static String daemonUrl(List<String> args, Invocation io, ShammahConfig config) {
        int i = args.indexOf("--daemon");
        if (i >= 0 && i + 1 < args.size()) {
            return args.get(i + 1);
        }
        String env = io.env().get("SHAMMAH_DAEMON");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return config.cli().daemon() == null ? null : config.cli().daemon().toString();
    }

    private static int repl(App app, Invocation io) {
        return withTerminal(io, terminal -> Terminals.repl(app.engine(), app.learning(), app.config(), terminal, io.workingDir()));
    }

    private static int repl(URI daemon, ShammahConfig config, Invocation io) {
        return withTerminal(io, terminal -> Terminals.repl(daemon, config, io, terminal));
    }

    /**
     * The process's own terminal when run for real (a dumb one when stdin/stdout are not terminals); the
     * invocation's streams when Main runs in-process.
     */
    private static int withTerminal(Invocation io, ToIntFunction<Terminal> body) {
        TerminalBuilder builder = TerminalBuilder.builder().name("shammah");
        if (io.in() == System.in && io.out() == System.out) {
            builder.system(true);
        } else {
            builder.system(false).streams(io.in(), io.out());
        }
        try (Terminal terminal = builder.build()) {
            return body.applyAsInt(terminal);
        } catch (IOException e) {
            io.err().println("shammah: cannot open the terminal: " + e.getMessage());
            return 1;
        }
    }
}
