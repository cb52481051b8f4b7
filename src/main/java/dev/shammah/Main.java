package dev.shammah;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.shammah.cli.Invocation;
import dev.shammah.cli.QueryCommand;
import dev.shammah.cli.Terminals;
import dev.shammah.config.ConfigException;
import dev.shammah.config.ConfigInputs;
import dev.shammah.config.ConfigLoader;
import dev.shammah.config.ShammahConfig;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
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

    static final String USAGE = """
            Usage:
              shammah [options]                      interactive REPL
              shammah daemon [options]               HTTP server (Claude Messages API)
              shammah query [options] [TEXT | -]     one answer on stdout; reads stdin when piped
              shammah hash-key                       read a key on stdin, print sha256:… for server.api-keys
              shammah --help | --version

            Options (every mode):
              --config FILE       extra YAML config layered over ~/.shammah/config.yaml
              --data-dir DIR      where logs and history are kept (default ~/.shammah)
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
              --daemon URL        ask a running daemon instead (or SHAMMAH_DAEMON; SHAMMAH_API_KEY is its key)

            Config layers, highest first: flags, environment (ANTHROPIC_API_KEY, SHAMMAH_*),
            --config FILE, ~/.shammah/config.yaml, etc/shammah.yaml, built-in defaults.
            Exit codes: 0 ok, 1 failure, 2 usage, 3 no route (no upstream key), 78 bad config.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        // Nothing may be downloaded at run time: DJL finds libtorch in the pytorch-native-cpu jar.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        LogConfig.configureRuntime();
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
        if (command != null && !command.equals("daemon") && !command.equals("query")) {
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
            return daemon(config, io);
        }
        if ("query".equals(command)) {
            String daemonUrl = daemonUrl(rest, io);
            if (daemonUrl != null) {
                try {
                    return Terminals.query(java.net.URI.create(daemonUrl), config, io, rest);
                } catch (IllegalArgumentException e) {
                    io.err().println("shammah query: --daemon needs a URL such as http://127.0.0.1:8000");
                    return QueryCommand.USAGE;
                }
            }
        }
        try (App app = App.create(config, Clock.systemUTC())) {
            if ("query".equals(command)) {
                return Terminals.query(app.engine(), config, io, rest);
            }
            return repl(app, io);
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

    /** {@code --daemon URL} among the query's arguments, else {@code SHAMMAH_DAEMON}, else null. */
    private static String daemonUrl(List<String> args, Invocation io) {
        int i = args.indexOf("--daemon");
        if (i >= 0 && i + 1 < args.size()) {
            return args.get(i + 1);
        }
        String env = io.env().get("SHAMMAH_DAEMON");
        return env == null || env.isBlank() ? null : env;
    }

    private static int repl(App app, Invocation io) {
        // The process's own terminal when run for real (a dumb one when stdin/stdout are not terminals);
        // the invocation's streams when Main runs in-process.
        TerminalBuilder builder = TerminalBuilder.builder().name("shammah");
        if (io.in() == System.in && io.out() == System.out) {
            builder.system(true);
        } else {
            builder.system(false).streams(io.in(), io.out());
        }
        try (Terminal terminal = builder.build()) {
            return Terminals.repl(app.engine(), app.config(), terminal, io.workingDir());
        } catch (IOException e) {
            io.err().println("shammah: cannot open the terminal: " + e.getMessage());
            return 1;
        }
    }

    private static int daemon(ShammahConfig config, Invocation io) {
        App app = App.create(config, Clock.systemUTC());
        WebServer server = WebServer.builder()
                .update(app::configureServer)
                // Our own hook below stops the server and then the app, in that order.
                .shutdownHook(false)
                .build()
                .start();
        // Helidon logs a BindException and returns a server on port -1 rather than failing start().
        if (!server.isRunning() || server.port() < 0) {
            io.err().println("shammah: cannot listen on " + config.server().bindAddress()
                    + " (is another process using the port?)");
            server.stop();
            app.close();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM: stop taking API requests, let those in flight (streams too) finish, then stop;
            // closing the app flushes the logs and saves router and model state.
            app.drain();
            server.stop();
            app.close();
            stopped.countDown();
        }, "shammah-shutdown"));
        io.out().println("Shammah " + VERSION + " listening on http://" + config.server().host() + ":" + server.port()
                + " (upstream " + config.upstream().baseUrl()
                + (config.upstream().hasApiKey() ? "" : ", no API key configured") + "; data " + config.dataDir() + ")");
        io.out().flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
