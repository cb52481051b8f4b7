package dev.shammah.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

import dev.shammah.persist.PrivateFiles;

/**
 * Where log records go, per mode. The daemon logs to its console (journald under systemd), one line per
 * problem. The REPL and {@code query} own the terminal: their records go to {@code data-dir/logs/shammah.log}
 * (0600), so nothing but the conversation appears on screen.
 */
public final class Logs {
    private Logs() {
    }

    /** One line per record on the existing console handlers. */
    public static void oneLinePerProblem() {
        for (Handler h : root().getHandlers()) {
            h.setFormatter(new OneLineFormatter());
        }
    }

    /** Sends every record to {@code dataDir/logs/shammah.log} instead of the console. */
    public static void toFile(Path dataDir) {
        Logger root = root();
        Path file = dataDir.resolve("logs").resolve("shammah.log");
        try {
            PrivateFiles.createDirectories(file.getParent());
            OutputStream out = Channels.newOutputStream(FileChannel.open(file, Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND), PrivateFiles.fileAttributes(file)));
            StreamHandler handler = new StreamHandler(out, new OneLineFormatter()) {
                @Override
                public synchronized void publish(LogRecord record) {
                    super.publish(record);
                    flush();
                }
            };
            for (Handler h : root.getHandlers()) {
                root.removeHandler(h);
            }
            root.addHandler(handler);
        } catch (IOException e) {
            // No log file: keep the console, one line per problem, rather than lose the records.
            oneLinePerProblem();
        }
    }

    private static Logger root() {
        return LogManager.getLogManager().getLogger("");
    }
}
