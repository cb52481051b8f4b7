package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Memory as the kernel and the JVM report it. RSS is VmRSS from {@code /proc/PID/status}, summed over the process
 * and its descendants (nginx's workers, anything a node peer forks); pages shared between them count once per
 * process. Heap is the JVM's own figure after a full collection, through {@code jcmd} — the same for any JVM,
 * and it does not depend on Shammah's /metrics.
 */
final class Memory {
    private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    // The last line of GC.class_histogram: "Total   540791   31600008" (instances, bytes).
    private static final Pattern LIVE_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private Memory() {
    }

    /** Sum of VmRSS over {@code pid} and its descendants, in bytes. */
    static long rssBytes(long pid) {
        return Stream.concat(Stream.of(pid), ProcessHandle.of(pid).stream()
                .flatMap(ProcessHandle::descendants).map(ProcessHandle::pid))
                .mapToLong(Memory::ownRss).sum();
    }

    /** Processes in the tree, for the table's note. */
    static long processCount(long pid) {
        return 1 + ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants).count();
    }

    private static long ownRss(long pid) {
        try {
            Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : 0;
        } catch (IOException e) {
            return 0; // the process ended between listing and reading
        }
    }

    /**
     * Bytes of live objects, from {@code jcmd PID GC.class_histogram}: it collects fully and counts what survived
     * inside one pause. (GC.run followed by GC.heap_info also counts whatever the load allocated between the two
     * commands, which under wrk swung by 100 MB from one sample to the next.) -1 when jcmd could not say.
     */
    static long heapAfterGc(long pid) throws InterruptedException {
        Matcher m = LIVE_TOTAL.matcher(jcmd(pid, "GC.class_histogram"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String jcmd(long pid, String command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(System.getProperty("java.home") + "/bin/jcmd", Long.toString(pid), command)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        }
    }

    static String mb(long bytes) {
        return bytes < 0 ? "?" : String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
