package dev.shammah.bench.sidebyside;

import java.util.List;

/**
 * Everything measured for one target in this run. A phase that could not run leaves its figures unset and says why;
 * the other phases and targets still run.
 */
final class TargetRun {
    final String name;
    final String version;
    /** Why the target was not measured at all; null when it was. */
    String skipped;
    PairedLatency.Result json;
    /** The JSON block again with the Python client (forwarding targets); null with {@link #pythonSkipped} saying why. */
    PythonLatency.Result python;
    String pythonSkipped;
    /** The median of the measured wrk runs (by req/s). */
    Wrk.Result throughput;
    /** Every measured run's req/s, in the order they ran. */
    List<Double> throughputRounds = List.of();
    String throughputSkipped;
    /** A JVM target's CPU over its measured throughput runs, by kind of thread; null for the others. */
    ThreadCpu.Result throughputCpu;
    /** Requests answered over the measured throughput runs, all of them together. */
    long throughputRequests;
    long rssBytes = -1;
    long processes;
    long heapBytes = -1;
    PairedLatency.Result stream;
    String streamSkipped;
    Sustain.Result sustain;
    /** Shammah with learning on: what it learned by the end of its throughput run. */
    LearningCounts learned;
    /** shammah-on-watched: what the page watcher did during the latency block and the throughput run. */
    String watched;
    /** shammah-local-10k: the exchanges its memory held after the fill (-1: not filled). */
    long storeFilled = -1;

    TargetRun(String name, String version) {
        this.name = name;
        this.version = version;
    }
}
