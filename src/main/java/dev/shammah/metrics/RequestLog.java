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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;


/**
 * Appends one JSON line per Messages call to {@code data-dir/metrics/YYYY-MM-DD.jsonl} (UTC dates).
 * A JVM lock orders threads (a FileLock is held per JVM, not per thread) and an OS file lock orders
 * processes, so a daemon and a {@code query} writing the same day's file never interleave lines. The day's file
 * stays open between lines (it is reopened when the date changes), so a request costs one locked write, not
 * an open, a lock and a close.
 *
 * <p>Writes are grouped: a line is queued, then its thread takes the lock and writes every line queued by then, in
 * one write under one file lock per day's file; a thread whose line another thread already wrote only takes and
 * leaves the lock. {@link #append} still returns only once its line is written, so nothing is lost on any stop —
 * under concurrent requests the lock and the system calls are paid once per group instead of once per line.
 */
public final class RequestLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RequestLog.class.getName());

    private final Path directory;
    /** The day's file and its channel; both guarded by {@link #LOCK}. */
    private Path openPath;
    private FileChannel open;
    /**
     * One lock for the whole JVM, not per instance: a FileLock belongs to the JVM, and a second channel asking
     * for it while another holds it gets OverlappingFileLockException instead of waiting.
     */
    private static final ReentrantLock LOCK = new ReentrantLock();
    /** Lines waiting for a writer; drained under {@link #LOCK}. */
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();

    /** One line and where it goes; {@code written} is read and set only under {@link #LOCK}. */
    private static final class Pending {
        final Path path;
        final byte[] line;
        boolean written;

        Pending(Path path, byte[] line) {
            this.path = path;
            this.line = line;
        }
    }

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

    public Path fileFor(java.time.Instant when) {
        long day = Math.floorDiv(when.getEpochSecond(), 86_400L);
        DayFile last = lastDay;
        if (last.epochDay() == day) {
            return last.path();
        }
        Path path = directory.resolve(LocalDate.ofEpochDay(day) + ".jsonl");
        lastDay = new DayFile(day, path);
        return path;
    }

    /** Writes the line; a failure is logged, never thrown: losing a log line must not fail a request. */
    public void append(LogLine e) {
        Pending mine = new Pending(fileFor(e.timestamp()), (e.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
        queue.add(mine);
        // FileChannel is interruptible: a request thread interrupted as its client went away would close the
        // channel and lose the lines. Write with the flag cleared, then put it back.
        boolean interrupted = Thread.interrupted();
        LOCK.lock();
        try {
            if (!mine.written) {
                writeQueued();
            }
        } finally {
            LOCK.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes every queued line, grouped by file in queue order; under {@link #LOCK}. */
    private void writeQueued() {
        Pending first = queue.poll();
        if (first == null) {
            return;
        }
        if (queue.isEmpty()) {
            // A group of one, what most writes are on two cores: its bytes as they are.
            write(first.path, first.line);
            first.written = true;
            return;
        }
        Map<Path, ByteArrayOutputStream> byFile = new LinkedHashMap<>();
        List<Pending> taken = new ArrayList<>();
        for (Pending p = first; p != null; p = queue.poll()) {
            byFile.computeIfAbsent(p.path, k -> new ByteArrayOutputStream(512)).writeBytes(p.line);
            taken.add(p);
        }
        for (Map.Entry<Path, ByteArrayOutputStream> f : byFile.entrySet()) {
            write(f.getKey(), f.getValue().toByteArray());
        }
        // Written or given up on (a failure is logged, never thrown: losing a log line must not fail a request).
        taken.forEach(p -> p.written = true);
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
            dev.shammah.persist.PrivateFiles.createDirectories(directory);
            open = FileChannel.open(path, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND), dev.shammah.persist.PrivateFiles.fileAttributes(path));
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

    @Override
    public void close() {
        LOCK.lock();
        try {
            closeQuietly();
        } finally {
            LOCK.unlock();
        }
    }
}
