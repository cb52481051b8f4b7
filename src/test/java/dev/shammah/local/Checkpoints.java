package dev.shammah.local;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.shammah.json.Json;
import dev.shammah.persist.AtomicFiles;
import jakarta.json.JsonObject;

/**
 * Student checkpoints under {@code data-dir/checkpoints}: each one a directory holding the weights (DJL's
 * {@code .params} format) and a manifest (step, loss, validator score). A checkpoint is written into a
 * temporary directory, fsynced, then renamed into place in one atomic step; {@code CURRENT} (the promoted
 * checkpoint) is replaced the same way. A crash at any point therefore leaves the previous complete state.
 * The newest {@code keep} checkpoints are kept, and never the promoted one is removed.
 */
public final class Checkpoints {
    private static final String WEIGHTS = "student.params";
    private static final String MANIFEST = "manifest.json";
    private static final String CURRENT = "CURRENT";

    private final Path dir;
    private final int keep;

    /**
     * What a checkpoint says about itself.
     *
     * @param name           directory name
     * @param step           optimizer steps taken
     * @param examples       training examples seen
     * @param loss           training loss at the last step
     * @param validatorScore mean validator score on the held-back sample (-1 if none was scored)
     * @param promoted       whether it was made the serving checkpoint when written
     * @param createdAt      when it was written
     */
    public record Manifest(String name, long step, long examples, double loss, double validatorScore,
                           boolean promoted, Instant createdAt) {
        JsonObject toJson() {
            return Json.createObjectBuilder().add("name", name).add("step", step).add("examples", examples)
                    .add("loss", loss).add("validator_score", validatorScore).add("promoted", promoted)
                    .add("created_at", createdAt.toString()).build();
        }

        static Manifest of(JsonObject o) {
            return new Manifest(o.getString("name"), o.getJsonNumber("step").longValue(),
                    o.getJsonNumber("examples").longValue(), o.getJsonNumber("loss").doubleValue(),
                    o.getJsonNumber("validator_score").doubleValue(), o.getBoolean("promoted", false),
                    Instant.parse(o.getString("created_at")));
        }
    }

    public Checkpoints(Path dir, int keep) {
        this.dir = dir;
        this.keep = keep;
        cleanUpInterrupted();
    }

    /** Leftovers of a write that a crash interrupted are incomplete by construction: remove them. */
    private void cleanUpInterrupted() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).forEach(Checkpoints::deleteTree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a checkpoint atomically; returns its manifest. */
    public Manifest save(StudentNet net, long step, long examples, double loss, double validatorScore,
                         boolean promoted, Instant now) {
        String name = String.format("ckpt-%09d", step);
        Manifest m = new Manifest(name, step, examples, loss, validatorScore, promoted, now);
        Path tmp = dir.resolve(".tmp-" + name);
        try {
            dev.shammah.persist.PrivateFiles.createDirectories(dir);
            deleteTree(tmp);
            dev.shammah.persist.PrivateFiles.createDirectories(tmp);
            Files.createFile(tmp.resolve(WEIGHTS), dev.shammah.persist.PrivateFiles.fileAttributes(tmp));
            try (OutputStream out = Files.newOutputStream(tmp.resolve(WEIGHTS));
                 DataOutputStream data = new DataOutputStream(new java.io.BufferedOutputStream(out))) {
                net.saveParameters(data);
            }
            AtomicFiles.writeSynced(tmp.resolve(MANIFEST), m.toJson().toString());
            fsync(tmp.resolve(WEIGHTS));
            Path target = dir.resolve(name);
            deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            fsync(dir);
        } catch (IOException e) {
            deleteTree(tmp);
            throw new UncheckedIOException("Cannot write checkpoint " + name, e);
        }
        prune();
        return m;
    }

    /** Makes {@code name} the serving checkpoint. */
    public void promote(String name) {
        if (!Files.isRegularFile(dir.resolve(name).resolve(MANIFEST))) {
            throw new IllegalArgumentException("No checkpoint named " + name);
        }
        try {
            AtomicFiles.write(dir.resolve(CURRENT), name);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot promote " + name, e);
        }
    }

    /** The promoted checkpoint, if any (and if it is still whole). */
    public Optional<Manifest> current() {
        Path pointer = dir.resolve(CURRENT);
        if (!Files.isRegularFile(pointer)) {
            return Optional.empty();
        }
        try {
            String name = Files.readString(pointer).trim();
            return list().stream().filter(m -> m.name().equals(name)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Every whole checkpoint, oldest first. */
    public List<Manifest> list() {
        List<Manifest> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).toList()) {
                Path manifest = p.resolve(MANIFEST);
                if (Files.isRegularFile(manifest) && Files.isRegularFile(p.resolve(WEIGHTS))) {
                    try {
                        out.add(Manifest.of(Json.createReader(new StringReader(Files.readString(manifest)))
                                .readObject()));
                    } catch (RuntimeException e) {
                        // an unreadable manifest is not a checkpoint
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparingLong(Manifest::step));
        return out;
    }

    /** Loads a checkpoint's weights into a fresh network. */
    public StudentNet load(String name, NDManager manager, StudentNet net) {
        net.initialize(manager, DataType.FLOAT32, new Shape(1, net.maxLen()));
        try (InputStream in = Files.newInputStream(dir.resolve(name).resolve(WEIGHTS));
             DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in))) {
            net.loadParameters(manager, data);
            return net;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read checkpoint " + name, e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("Checkpoint " + name + " does not fit this student", e);
        }
    }

    private void prune() {
        List<Manifest> all = list();
        String current = current().map(Manifest::name).orElse("");
        for (int i = 0; i < all.size() - keep; i++) {
            if (!all.get(i).name().equals(current)) {
                deleteTree(dir.resolve(all.get(i).name()));
            }
        }
    }

    private static void fsync(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Directories cannot be opened for fsync on every platform; the rename is still atomic.
        }
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
