package dev.shammah.metrics;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import dev.shammah.json.Json;
import dev.shammah.persist.AtomicFiles;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * {@link Usage} kept in the data dir: one JSON file per UTC day ({@code usage/2026-12-06.json}), the days that
 * changed rewritten whole once a second (atomically: a crash leaves the old file or the new one), so a restart —
 * or {@code kill -9} — loses at most the last second. Days older than {@code usage.keep-days} are deleted at start
 * and as days pass: the files stay bounded (a day is 24 rows per tenant and model).
 */
public final class UsageFiles implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UsageFiles.class.getName());
    private final Usage usage;
    private final Path dir;
    private final Clock clock;
    private final int keepDays;
    private final ScheduledExecutorService flusher;

    /** Whether this process may change the files: false for {@link #read}, beside the daemon that owns them. */
    private final boolean owner;

    private UsageFiles(Usage usage, Path dir, Clock clock, int keepDays, boolean owner) {
        this.owner = owner;
        this.usage = usage;
        this.dir = dir;
        this.clock = clock;
        this.keepDays = keepDays;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shammah-usage");
            t.setDaemon(true);
            return t;
        });
    }

    /** Loads what {@code dataDir/usage} keeps into {@code usage} and flushes it there every second from now on. */
    public static UsageFiles open(Usage usage, Path dataDir, Clock clock, int keepDays) {
        UsageFiles f = new UsageFiles(usage, dataDir.resolve("usage"), clock, keepDays, true);
        f.load();
        f.flusher.scheduleWithFixedDelay(f::flushQuietly, 1, 1, TimeUnit.SECONDS);
        return f;
    }

    /**
     * Reads what {@code dataDir/usage} keeps into {@code usage} and changes nothing on disk: for
     * {@code shammah usage}, which may run beside the daemon that writes them (each file is replaced whole, so a
     * read sees the old one or the new one).
     */
    public static void read(Usage usage, Path dataDir, Clock clock, int keepDays) {
        new UsageFiles(usage, dataDir.resolve("usage"), clock, keepDays, false).load();
    }

    private Instant cutoff() {
        return clock.instant().truncatedTo(ChronoUnit.DAYS).minus(keepDays - 1L, ChronoUnit.DAYS);
    }

    private void load() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Instant cutoff = cutoff();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Instant day = dayOf(p);
                if (day == null) {
                    continue;
                }
                if (day.isBefore(cutoff)) {
                    if (owner) {
                        Files.deleteIfExists(p);
                    }
                    continue;
                }
                try (var reader = Json.createReader(new StringReader(Files.readString(p)))) {
                    for (JsonValue v : reader.readObject().getJsonArray("rows")) {
                        usage.load(row(v.asJsonObject()));
                    }
                } catch (RuntimeException e) {
                    if (!owner) {
                        LOG.warning("Usage file " + p + " could not be read (" + e.getMessage() + ")");
                        continue;
                    }
                    // One unreadable day is not a reason to refuse to start: it is set aside and said so.
                    Path aside = p.resolveSibling(p.getFileName() + ".unreadable");
                    Files.move(p, aside, StandardCopyOption.REPLACE_EXISTING);
                    LOG.warning("Usage file " + p + " could not be read (" + e.getMessage() + "); moved to " + aside);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read usage files in " + dir, e);
        }
    }

    private static Instant dayOf(Path p) {
        String name = p.getFileName().toString();
        if (!name.endsWith(".json")) {
            return null;
        }
        try {
            return LocalDate.parse(name.substring(0, name.length() - 5)).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not write usage to " + dir + " (will retry): " + e);
        }
    }

    /** Writes the days that changed; drops (from memory and disk) those past {@code usage.keep-days}. */
    synchronized void flush() throws IOException {
        Instant cutoff = cutoff();
        for (Instant day : usage.takeChanged()) {
            if (day.isBefore(cutoff)) {
                continue;
            }
            Instant next = day.plus(1, ChronoUnit.DAYS);
            List<Usage.Row> rows = usage.rows(k -> !k.hour().isBefore(day) && k.hour().isBefore(next));
            JsonArrayBuilder list = Json.createArrayBuilder();
            rows.forEach(r -> list.add(json(r)));
            AtomicFiles.write(dir.resolve(LocalDate.ofInstant(day, ZoneOffset.UTC) + ".json"),
                    Json.createObjectBuilder().add("rows", list).build().toString());
        }
        usage.prune(cutoff);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Instant day = dayOf(p);
                    if (day != null && day.isBefore(cutoff)) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /** One row as the files and {@code GET /admin/usage} write it: its key, then its {@link #counters}. */
    public static JsonObjectBuilder json(Usage.Row r) {
        return counters(r, Json.createObjectBuilder()
                .add("hour", r.key().hour().toString())
                .add("tenant", r.key().tenant())
                .add("model", r.key().model()));
    }

    /** A row's counters (a sum of rows has no key of its own), added to {@code b}. */
    public static JsonObjectBuilder counters(Usage.Row r, JsonObjectBuilder b) {
        JsonObjectBuilder local = Json.createObjectBuilder();
        r.local().forEach(local::add);
        return b
                .add("requests", r.requests())
                .add("local", r.localTotal())
                .add("local_by_route", local)
                .add("forwarded", r.forwarded())
                .add("refused", r.refused())
                .add("checks", r.checks())
                .add("teacher_input_tokens", r.teacherInputTokens())
                .add("teacher_output_tokens", r.teacherOutputTokens())
                .add("saved_input_tokens", r.savedInputTokens())
                .add("saved_output_tokens", r.savedOutputTokens())
                .add("spent_usd", r.spentMicros() / 1e6)
                .add("saved_usd", r.savedMicros() / 1e6);
    }

    private static Usage.Row row(JsonObject o) {
        Map<String, Long> local = new TreeMap<>();
        o.getJsonObject("local_by_route").forEach((k, v) -> local.put(k, ((JsonNumber) v).longValue()));
        return new Usage.Row(new Usage.Key(Instant.parse(o.getString("hour")), o.getString("tenant"),
                o.getString("model")), o.getJsonNumber("requests").longValue(), Map.copyOf(local),
                o.getJsonNumber("forwarded").longValue(), o.getJsonNumber("refused").longValue(),
                o.containsKey("checks") ? o.getJsonNumber("checks").longValue() : 0,
                o.getJsonNumber("teacher_input_tokens").longValue(), o.getJsonNumber("teacher_output_tokens").longValue(),
                o.getJsonNumber("saved_input_tokens").longValue(), o.getJsonNumber("saved_output_tokens").longValue(),
                Math.round(o.getJsonNumber("spent_usd").doubleValue() * 1e6),
                Math.round(o.getJsonNumber("saved_usd").doubleValue() * 1e6));
    }

    /** Stops the flusher and writes what changed since its last run. */
    @Override
    public void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
            flush();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not write usage to " + dir + " at stop: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
