package dev.shammah.metrics;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per log record, meant for people (journald, a terminal, the REPL's log file): time, level, logger,
 * message, and for a record carrying an exception only the exception's kind and message — the stack trace is
 * printed only for records at FINE or below, i.e. when someone turned debugging on for that logger.
 */
public final class OneLineFormatter extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    @Override
    public String format(LogRecord r) {
        StringBuilder sb = new StringBuilder(160);
        sb.append(TIME.format(Instant.ofEpochMilli(r.getMillis()))).append(' ').append(r.getLevel().getName())
                .append(' ').append(shortName(r.getLoggerName())).append(": ")
                .append(formatMessage(r).replace('\n', ' '));
        Throwable t = r.getThrown();
        if (t != null) {
            if (r.getLevel().intValue() <= Level.FINE.intValue()) {
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                sb.append(System.lineSeparator()).append(trace.toString().stripTrailing());
            } else if (!sb.toString().contains(describe(t))) {
                sb.append(" (").append(describe(t)).append(')');
            }
        }
        return sb.append(System.lineSeparator()).toString();
    }

    /** The innermost cause's kind and message: what actually went wrong. */
    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg.replace('\n', ' '));
    }

    private static String shortName(String logger) {
        if (logger == null) {
            return "-";
        }
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }
}
