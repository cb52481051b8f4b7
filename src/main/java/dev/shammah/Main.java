package dev.shammah;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.shammah.cli.Invocation;
import dev.shammah.cli.QueryCommand;
import dev.shammah.cli.Terminals;
import dev.shammah.config.ConfigException;
import dev.shammah.config.ConfigInputs;
import dev.shammah.config.ConfigLoader;
import dev.shammah.config.ShammahConfig;
import io.helidon.logging.common.LogConfig;
import dev.shammah.persist.DataDirOwner;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code shammah [daemon|query] …}: parses argv, loads config and dispatches. Everything returns an exit code
 * so the whole CLI runs in-process under test; only {@link #main} exits.
 */
public final class Main {
    public static final String VERSION = "0.1.0";

    /** sysexits' EX_CONFIG: systemd's unit does not restart on it, since a restart cannot fix a bad config. */
    public static final int EXIT_CONFIG = 78;
    /** sysexits' EX_CANTCREAT: the data dir is owned by another Shammah process (one owner per data dir). */
    public static final int EXIT_IN_USE = 73;
    /** sysexits' EX_UNAVAILABLE: the daemon cannot listen (the address is taken). */
    public static final int EXIT_CANNOT_LISTEN = 69;

    static final String USAGE = """
            Usage:
              shammah [options]                      interactive REPL
              shammah daemon [options]               HTTP server (Claude Messages API)
              shammah query [options] [TEXT | -]     one answer on stdout; reads stdin when piped
              shammah hash-key                       read a key on stdin, print sha256:… for server.api-keys
              shammah migrate [options]              create or upgrade the shared store's schema (store.url)
              shammah --help | --version

            Options (every mode):
              --config FILE       extra YAML config layered over ~/.shammah/config.yaml
              --data-dir DIR      where memory, logs and history are kept (default ~/.shammah; ~ is $HOME)
            daemon:
              --bind HOST:PORT    listen address (default 127.0.0.1:8000)
            query:
              --json              print the whole Messages API response
              --stream            print the answer as it arrives
              --session ID        continue a conversation
              --local | --forward force the route (local: from what was learned; forward: ask Claude)
              --system TEXT       system prompt
              --max-tokens N      max_tokens (default cli.max-tokens)
              --model NAME        model (default cli.model)
              --tools             offer the local tools; only calls a remembered pattern allows run
              --daemon URL        ask this daemon (or SHAMMAH_DAEMON, cli.daemon; SHAMMAH_API_KEY is its key)

            The daemon owns its data dir; query and the REPL talk to the daemon serving theirs when one runs
            (data-dir/owner.json), and run in-process only when none does.

            Config layers, highest first: flags, environment (ANTHROPIC_API_KEY, SHAMMAH_*),
            --config FILE, ~/.shammah/config.yaml, etc/shammah.yaml, built-in defaults.
            Exit codes: 0 ok, 1 failure, 2 usage, 3 no route (no upstream key), 69 cannot listen,
            73 data dir in use by another shammah process, 78 bad config.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        // Nothing may be downloaded at run time: DJL finds libtorch in the pytorch-native-cpu jar.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        // '~' is $HOME for people, containers and test harnesses; Java (and every library reading user.home,
        // DJL's cache among them) would take the password database's home instead.
        System.setProperty("user.home", Invocation.home(System.getenv()).toString());
        LogConfig.configureRuntime();
        dev.shammah.metrics.Logs.oneLinePerProblem();
        System.exit(run(args, Invocation.system()));
    }

    public static int run(String[] args, Invocation io) {
        String command = null;
        Path configFile = null;
        Map<String, String> flags = new HashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    io.out().print(USAGE);
                    return 0;
                }
                case "--version", "-V" -> {
                    io.out().println("shammah " + VERSION);
                    return 0;
                }
                case "--config", "--bind", "--data-dir" -> {
                    if (i + 1 >= args.length) {
                        io.err().println("shammah: " + a + " needs a value");
                        return QueryCommand.USAGE;
                    }
                    String value = args[++i];
                    switch (a) {
                        case "--config" -> configFile = Path.of(value);
                        case "--bind" -> flags.put("server.bind-address", value);
                        default -> flags.put("data-dir", value);
                    }
                }
                default -> {
                    if (command == null && rest.isEmpty() && !a.startsWith("-")) {
                        command = a;
                    } else {
                        rest.add(a);
                    }
                }
            }
        }
        if ("hash-key".equals(command)) {
            return hashKey(io);
        }
        if (command != null && !command.equals("daemon") && !command.equals("query") && !command.equals("migrate")) {
            io.err().println("shammah: unknown command '" + command + "'");
            io.err().print(USAGE);
            return QueryCommand.USAGE;
        }
        if (flags.containsKey("server.bind-address") && !"daemon".equals(command)) {
            io.err().println("shammah: --bind only applies to 'shammah daemon'");
            return QueryCommand.USAGE;
        }
        if (!"query".equals(command) && !rest.isEmpty()) {
            io.err().println("shammah: unexpected argument '" + rest.get(0) + "'");
            io.err().print(USAGE);
            return QueryCommand.USAGE;
        }

        ShammahConfig config;
        try {
            config = ConfigLoader.load(new ConfigInputs(io.installDir(), io.userHome(), configFile, io.env(), flags));
        } catch (ConfigException e) {
            io.err().println("shammah: " + e.getMessage());
            return EXIT_CONFIG;
        }

        if ("daemon".equals(command)) {
            return Daemon.run(config, io);
        }
        if ("migrate".equals(command)) {
            try {
                return dev.shammah.store.Migrate.run(config.store(), io.out(), io.err());
            } catch (ConfigException e) {
                io.err().println("shammah: " + e.getMessage());
                return EXIT_CONFIG;
            }
        }
        return terminal(command, config, io, rest);
    }

    /**
     * {@code query} and the REPL: a daemon named explicitly, else the daemon that owns this data dir, else this
     * process takes the data dir and runs the engine in-process.
     */
    private static int terminal(String command, ShammahConfig config, Invocation io, List<String> rest) {
        boolean query = "query".equals(command);
        String named = daemonUrl(rest, io, config);
        java.net.URI daemon;
        try {
            daemon = named != null ? java.net.URI.create(named) : ownersAddress(config, io);
        } catch (IllegalArgumentException e) {
            io.err().println("shammah: --daemon needs a URL such as http://127.0.0.1:8000");
            return QueryCommand.USAGE;
        } catch (DataDirBusy e) {
            return EXIT_IN_USE;
        }
        if (daemon != null) {
            return query ? Terminals.query(daemon, config, io, rest) : repl(daemon, config, io);
        }
        if (query && rest.contains("--session")) {
            io.err().println("shammah query: --session continues a conversation held by a daemon, and none is "
                    + "running for " + config.dataDir() + " (start `shammah daemon`, or name one with --daemon)");
            return QueryCommand.USAGE;
        }
        DataDirOwner owner;
        switch (DataDirOwner.claim(config.dataDir(), command == null ? "repl" : command)) {
            case DataDirOwner.Owned o -> owner = o.owner();
            case DataDirOwner.Taken t -> {
                // Someone took it a moment ago: if it is a daemon that is starting, use it.
                try {
                    java.net.URI now = ownersAddress(config, io);
                    if (now != null) {
                        return query ? Terminals.query(now, config, io, rest) : repl(now, config, io);
                    }
                } catch (DataDirBusy e) {
                    return EXIT_IN_USE;
                }
                io.err().println("shammah: data dir " + config.dataDir() + " is in use; try again");
                return EXIT_IN_USE;
            }
        }
        // The terminal is the conversation's: log records go to data-dir/logs/shammah.log (for the real process;
        // under test, Main runs inside a JVM whose logging is not ours to move).
        if (io.out() == System.out) {
            dev.shammah.metrics.Logs.toFile(config.dataDir());
        }
        try (owner; App app = App.create(config, Clock.systemUTC())) {
            if (query) {
                return Terminals.query(app.engine(), config, io, rest);
            }
            return repl(app, io);
        } catch (ConfigException e) {
            io.err().println("shammah: " + e.getMessage());
            return EXIT_CONFIG;
        }
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
    private static java.net.URI ownersAddress(ShammahConfig config, Invocation io) throws DataDirBusy {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            var holder = DataDirOwner.current(config.dataDir());
            if (holder.isEmpty()) {
                return null;
            }
            DataDirOwner.Holder h = holder.get();
            if (h.url() != null) {
                return java.net.URI.create(h.url());
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

    /** Prints the config form of a key read from stdin, so keys never need to be written down in plain text. */
    private static int hashKey(Invocation io) {
        try {
            String key = new String(io.in().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (key.isEmpty()) {
                io.err().println("shammah hash-key: give the key on stdin, e.g. printf %s \"$KEY\" | shammah hash-key");
                return QueryCommand.USAGE;
            }
            io.out().println(dev.shammah.api.ApiKeys.hashed(key));
            return 0;
        } catch (IOException e) {
            io.err().println("shammah hash-key: cannot read stdin: " + e.getMessage());
            return 1;
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
        return withTerminal(io, terminal -> Terminals.repl(app.engine(), app.config(), terminal, io.workingDir()));
    }

    private static int repl(java.net.URI daemon, ShammahConfig config, Invocation io) {
        return withTerminal(io, terminal -> Terminals.repl(daemon, config, io, terminal));
    }

    /**
     * The process's own terminal when run for real (a dumb one when stdin/stdout are not terminals); the
     * invocation's streams when Main runs in-process.
     */
    private static int withTerminal(Invocation io, java.util.function.ToIntFunction<Terminal> body) {
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
