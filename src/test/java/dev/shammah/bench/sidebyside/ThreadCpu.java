package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a JVM target's CPU went while its throughput was measured, read from {@code /proc}: the process's CPU time
 * (which keeps the time of threads that have ended) and, every {@value #SAMPLE_MILLIS} ms, each thread's, sorted by
 * the thread's name into the JIT's compiler threads, the garbage collector's, learning's (Shammah's learning workers,
 * its memory's commits, Lucene's merges) and the rest — serving: the carriers of the request threads, the logs, the
 * upstream's deadlines. A thread that began and ended between two samples counts with the rest. It says whether a
 * JIT was still compiling during the measured runs, and what learning took beside the requests: on 2 cores both
 * decide the ratio of learning on to learning off.
 */
final class ThreadCpu {
    static final long SAMPLE_MILLIS = 200;

    /** The named parts; what is in none of them is serving. */
    enum Part { COMPILER, COLLECTOR, LEARNING }

    /** CPU seconds in all and per part over the window; {@code seconds} the window's wall-clock length. */
    record Result(double seconds, double cpuSeconds, Map<Part, Double> parts) {
        double cores() {
            return seconds <= 0 ? 0 : cpuSeconds / seconds;
        }

        /** A part's share of the process's CPU, 0…1. */
        double share(Part p) {
            return cpuSeconds <= 0 ? 0 : parts.getOrDefault(p, 0.0) / cpuSeconds;
        }

        /** What no named part took: the request threads' carriers, the logs, the rest. */
        double servingShare() {
            if (cpuSeconds <= 0) {
                return 0;
            }
            return Math.max(0, 1 - parts.values().stream().mapToDouble(Double::doubleValue).sum() / cpuSeconds);
        }
    }

    /** A thread seen in some sample: its part, and its CPU ticks when first seen (0 if born after the start) and last. */
    private static final class Seen {
        final Part part;
        final long first;
        long last;

        Seen(Part part, long first, long last) {
            this.part = part;
            this.first = first;
            this.last = last;
        }
    }

    private final long pid;
    private final long hz;
    private final long startNanos;
    private final long startTicks;
    private final Map<Long, Seen> threads = new HashMap<>();
    private final Thread sampler;
    private volatile boolean stopping;

    private ThreadCpu(long pid) {
        this.pid = pid;
        this.hz = clockTicks();
        this.startNanos = System.nanoTime();
        this.startTicks = processTicks(pid);
        sample(true);
        this.sampler = Thread.ofPlatform().daemon().name("bench-thread-cpu").start(this::run);
    }

    /** Starts sampling {@code pid}'s threads now; {@link #stop} ends the window. */
    static ThreadCpu start(long pid) {
        return new ThreadCpu(pid);
    }

    Result stop() throws InterruptedException {
        stopping = true;
        sampler.interrupt();
        sampler.join();
        sample(false);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double cpu = (processTicks(pid) - startTicks) / (double) hz;
        Map<Part, Double> parts = new EnumMap<>(Part.class);
        synchronized (threads) {
            for (Seen s : threads.values()) {
                if (s.part != null) {
                    parts.merge(s.part, (s.last - s.first) / (double) hz, Double::sum);
                }
            }
        }
        return new Result(seconds, cpu, parts);
    }

    private void run() {
        while (!stopping) {
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            sample(false);
        }
    }

    /** One pass over the process's threads; a thread first seen after the start is counted from zero. */
    private void sample(boolean atStart) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                long tid;
                String stat;
                String comm;
                try {
                    tid = Long.parseLong(task.getFileName().toString());
                    stat = Files.readString(task.resolve("stat"));
                    comm = Files.readString(task.resolve("comm")).strip();
                } catch (IOException | NumberFormatException e) {
                    continue; // the thread ended between listing and reading
                }
                long ticks = ticks(stat);
                synchronized (threads) {
                    Seen s = threads.get(tid);
                    if (s == null) {
                        threads.put(tid, new Seen(part(comm), atStart ? ticks : 0, ticks));
                    } else {
                        s.last = ticks;
                    }
                }
            }
        } catch (IOException e) {
            // the process ended: what was sampled stands
        }
    }

    /** The part a thread's name (as {@code /proc} gives it, cut to 15 characters) belongs to; null: serving. */
    static Part part(String comm) {
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return Part.COMPILER;
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread")) {
            return Part.COLLECTOR;
        }
        if (comm.startsWith("shammah-learner") || comm.startsWith("shammah-rewordi")
                || comm.startsWith("shammah-memory-") || comm.startsWith("shammah-evidenc")
                || comm.startsWith("shammah-shadow") || comm.startsWith("shammah-store-v")
                || comm.startsWith("Lucene Merge")) {
            return Part.LEARNING;
        }
        return null;
    }

    /** utime + stime of a {@code stat} line; the name in parentheses may hold spaces and parentheses of its own. */
    static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long processTicks(long pid) {
        try {
            return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException e) {
            return 0;
        }
    }

    /** The kernel's clock ticks per second (USER_HZ), from {@code getconf CLK_TCK}; 100, Linux's value, if that fails. */
    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
