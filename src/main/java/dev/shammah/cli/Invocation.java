package dev.shammah.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command runs with: its streams, environment and directories. The real process passes
 * {@link #system()}; tests pass their own, so every mode runs in-process under test.
 *
 * @param in              standard input
 * @param out             standard output (answers only)
 * @param err             standard error (messages, errors)
 * @param env             environment variables
 * @param userHome        home directory ({@code ~/.shammah} lives there): {@code $HOME}, as every CLI user, container
 *                        and test harness expects, falling back to Java's {@code user.home} (from the password
 *                        database) only when it is unset
 * @param installDir      where {@code etc/shammah.yaml} is looked for
 * @param stdinIsTerminal whether standard input is a terminal (then {@code query} does not read it)
 * @param workingDir      where tools resolve relative paths
 */
public record Invocation(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Path userHome,
                         Path installDir, boolean stdinIsTerminal, Path workingDir) {

    public static Invocation system() {
        String home = System.getProperty("shammah.home", System.getenv().getOrDefault("SHAMMAH_HOME", "."));
        return new Invocation(System.in, System.out, System.err, System.getenv(), home(System.getenv()),
                Path.of(home).toAbsolutePath().normalize(), detectStdinTerminal(), Path.of("").toAbsolutePath());
    }

    /** {@code $HOME} if set, else {@code user.home}. */
    public static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    /**
     * Whether fd 0 is a terminal. {@code System.console()} answers for stdin and stdout together (and
     * since JDK 22 is never null), so {@code shammah query "x" > file} would look like "no terminal" and
     * block reading the keyboard. On Linux /proc tells about stdin alone.
     */
    static boolean detectStdinTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (Exception e) {
            return System.console() != null;
        }
    }
}
