package dev.shammah;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.shammah.api.ApiKeys;
import dev.shammah.cli.Exit;
import dev.shammah.cli.Invocation;
import dev.shammah.config.ConfigException;
import dev.shammah.config.ConfigInputs;
import dev.shammah.config.ConfigLoader;
import dev.shammah.config.ShammahConfig;
import dev.shammah.metrics.Logs;
import dev.shammah.store.Migrate;
import io.helidon.logging.common.LogConfig;

/**
 * {@code shammah [daemon|query] …}: parses argv, loads config and dispatches. Everything returns an exit code
 * so the whole CLI runs in-process under test; only {@link #main} exits.
 */
public final class Main {
    static final String USAGE = """
            Usage:
              shammah [options]                      interactive REPL
              shammah daemon [options]               HTTP server (Claude Messages API)
              shammah query [options] [TEXT | -]     one answer on stdout; reads stdin when piped
              shammah hash-key                       read a key on stdin, print sha256:… for server.api-keys
              shammah migrate [options]              create or upgrade the shared store's schema (store.url)
              shammah usage [options]                what was answered locally, forwarded and spent, per tenant
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
            usage:
              --json              the whole report, hourly rows included
              --tenant T, --model M, --from WHEN, --to WHEN   filter (WHEN: 2026-12-06 or 2026-12-06T10:00:00Z)
              --daemon URL        ask this daemon (SHAMMAH_ADMIN_KEY is its key); without one, read the data dir

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
        Logs.oneLinePerProblem();
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
                    return Exit.OK.code();
                }
                case "--version", "-V" -> {
                    io.out().println("shammah " + Version.NUMBER);
                    return Exit.OK.code();
                }
                case "--config", "--bind", "--data-dir" -> {
                    if (i + 1 >= args.length) {
                        io.err().println("shammah: " + a + " needs a value");
                        return Exit.USAGE.code();
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
        if (command != null && !command.equals("daemon") && !command.equals("query") && !command.equals("migrate")
                && !command.equals("usage")) {
            io.err().println("shammah: unknown command '" + command + "'");
            io.err().print(USAGE);
            return Exit.USAGE.code();
        }
        if (flags.containsKey("server.bind-address") && !"daemon".equals(command)) {
            io.err().println("shammah: --bind only applies to 'shammah daemon'");
            return Exit.USAGE.code();
        }
        if (!"query".equals(command) && !"usage".equals(command) && !rest.isEmpty()) {
            io.err().println("shammah: unexpected argument '" + rest.get(0) + "'");
            io.err().print(USAGE);
            return Exit.USAGE.code();
        }

        ShammahConfig config;
        try {
            config = ConfigLoader.load(new ConfigInputs(io.installDir(), io.userHome(), configFile, io.env(), flags));
        } catch (ConfigException e) {
            io.err().println("shammah: " + e.getMessage());
            return Exit.CONFIG.code();
        }

        if ("daemon".equals(command)) {
            return Daemon.run(config, io);
        }
        if ("migrate".equals(command)) {
            try {
                return Migrate.run(config.store(), io.out(), io.err());
            } catch (ConfigException e) {
                io.err().println("shammah: " + e.getMessage());
                return Exit.CONFIG.code();
            }
        }
        return TerminalLauncher.run(command, config, io, rest);
    }

    /** Prints the config form of a key read from stdin, so keys never need to be written down in plain text. */
    private static int hashKey(Invocation io) {
        try {
            String key = new String(io.in().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (key.isEmpty()) {
                io.err().println("shammah hash-key: give the key on stdin, e.g. printf %s \"$KEY\" | shammah hash-key");
                return Exit.USAGE.code();
            }
            io.out().println(ApiKeys.hashed(key));
            return Exit.OK.code();
        } catch (IOException e) {
            io.err().println("shammah hash-key: cannot read stdin: " + e.getMessage());
            return Exit.FAILED.code();
        }
    }

}
