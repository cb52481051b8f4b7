package dev.shammah.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.persist.JvmFileLock;
import dev.shammah.persist.PrivateFiles;


/**
 * Appends one JSON line per Messages call to {@code data-dir/metrics/YYYY-MM-DD.jsonl} (UTC dates).
 * The JVM's file lock ({@link JvmFileLock}: a FileLock is held per JVM, not per thread) orders threads and an OS file
 * lock orders processes, so a daemon and a {@code query} writing the same day's file never interleave lines. The day's file
 * stays open between lines (it is reopened when the date changes).
 *
 * <p>Lines are written off the request's thread: {@link #append} queues the line and returns, and a writer thread
 * of this log's own prints and writes whatever is queued, every line of a group in one write under one file lock per
 * day's file, after waiting up to {@link #LINGER_NANOS} for the group to fill. A request pays for queueing a record,
 * not for printing it and three system calls (lock, write, unlock: ~3 µs a line here, two lines a request with the
 * audit log). {@link #flush} writes what is queued before returning, and {@link #close} flushes: a clean stop loses
 * nothing; a process killed outright may lose the lines of its last milliseconds.
 */
public final class RequestLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RequestLog.class.getName());

    private final Path directory;
    /** The day's file and its channel; both guarded by {@link JvmFileLock}. */
    private Path openPath;
    private FileChannel open;
    /** Lines waiting for a writer; drained under {@link JvmFileLock}. */
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();

    /** One line and where it goes, printed when it is written. */
    private record Pending(Path path, LogLine line) {
        byte[] bytes() {
            return (line.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * How long the writer waits, once a line is queued, for others to join its group. Only a writer with nothing
     * queued is woken, so this sets how often it wakes under a steady stream of requests: at 1 ms, requests one at a
     * time each woke it (every request's answer followed by a context switch on a core the next request wanted);
     * at 20 ms it wakes at most 50 times a second however many requests come, and a line is on disk 20 ms later.
     */
    private static final long LINGER_NANOS = 20_000_000;
    /** The writer while one runs (started by the first line, stopped by {@link #close}); set under this log's monitor. */
    private volatile Writer writer;

    public RequestLog(Path dataDir) {
        this(dataDir, "metrics");
    }

    /** A log of the same kind in {@code data-dir/<subdirectory>} (the audit log). */
    RequestLog(Path dataDir, String subdirectory) {
        this.directory = dataDir.resolve(subdirectory);
    }

    /** The last day's file, kept: every line of a day asks for the same path. */
    private volatile DayFile lastDay = new DayFile(Long.MIN_VALUE, null);

    private record DayFile(long epochDay, Path path) {
    }

    public Path fileFor(Instant when) {
        long day = Math.floorDiv(when.getEpochSecond(), 86_400L);
        DayFile last = lastDay;
        if (last.epochDay() == day) {
            return last.path();
        }
        Path path = directory.resolve(LocalDate.ofEpochDay(day) + ".jsonl");
        lastDay = new DayFile(day, path);
        return path;
    }

    /**
     * Queues the line for the writer. A failure to write it is logged, never thrown: losing a log line must not fail
     * a request.
     */
    public void append(LogLine e) {
        queue.add(new Pending(fileFor(e.timestamp()), e));
        Writer w = writer;
        if (w == null) {
            w = startWriter();
        }
        w.wake();
    }

    private synchronized Writer startWriter() {
        if (writer == null) {
            writer = new Writer("shammah-log-" + directory.getFileName());
        }
        return writer;
    }

    /** Writes every line queued before this call (and any queued meanwhile) before returning. */
    public void flush() {
        // The writer takes its groups under the same lock: once it is held here, any group it took is written, and
        // what is still queued is written now.
        boolean interrupted = Thread.interrupted(); // FileChannel is interruptible: a flag set would close it
        JvmFileLock.lock();
        try {
            writeQueued();
        } finally {
            JvmFileLock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Prints and writes queued lines in groups, on a thread of its own; parks while there are none. */
    private final class Writer implements Runnable {
        private final Thread thread;
        private volatile boolean parked;
        private volatile boolean stopping;

        Writer(String name) {
            thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this);
            thread.start();
        }

        void wake() {
            // Read after the line was queued; the writer sets parked before it looks at the queue a last time, so
            // one of the two sees the other (a wake-up to spare costs nothing).
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        void stop() {
            stopping = true;
            LockSupport.unpark(thread);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            while (!stopping) {
                if (queue.isEmpty()) {
                    parked = true;
                    if (queue.isEmpty() && !stopping) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    continue;
                }
                LockSupport.parkNanos(LINGER_NANOS);
                JvmFileLock.lock();
                try {
                    writeQueued();
                } finally {
                    JvmFileLock.unlock();
                }
            }
        }
    }

    /** Writes every queued line, grouped by file in queue order; under {@link JvmFileLock}. */
    private void writeQueued() {
        Pending first = queue.poll();
        if (first == null) {
            return;
        }
        Map<Path, ByteArrayOutputStream> byFile = new LinkedHashMap<>();
        for (Pending p = first; p != null; p = queue.poll()) {
            byte[] bytes;
            try {
                bytes = p.bytes();
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "Could not print a log line for " + directory, ex);
                continue;
            }
            byFile.computeIfAbsent(p.path(), k -> new ByteArrayOutputStream(4096)).writeBytes(bytes);
        }
        for (Map.Entry<Path, ByteArrayOutputStream> f : byFile.entrySet()) {
            write(f.getKey(), f.getValue().toByteArray());
        }
    }

    /** One write under the file's lock; a failure is logged and closes the channel (the next write reopens it). */
    private void write(Path path, byte[] bytes) {
        try {
            FileChannel ch = channelFor(path);
            try (FileLock ignored = ch.lock()) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        } catch (IOException | RuntimeException ex) {
            closeQuietly();
            LOG.log(Level.WARNING, "Could not append to request log in " + directory, ex);
        }
    }

    /** The open channel for {@code path}, (re)opened when the day changed or a failure closed it. */
    private FileChannel channelFor(Path path) throws IOException {
        if (open == null || !open.isOpen() || !path.equals(openPath)) {
            closeQuietly();
            PrivateFiles.createDirectories(directory);
            open = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND), PrivateFiles.fileAttributes(path));
            openPath = path;
        }
        return open;
    }

    private void closeQuietly() {
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // already unusable
            }
            open = null;
            openPath = null;
        }
    }

    /** Stops the writer, writes what is queued and closes the file; a later line starts a writer again. */
    @Override
    public void close() {
        Writer w;
        synchronized (this) {
            w = writer;
            writer = null;
        }
        if (w != null) {
            w.stop();
        }
        flush();
        JvmFileLock.lock();
        try {
            closeQuietly();
        } finally {
            JvmFileLock.unlock();
        }
    }
}
