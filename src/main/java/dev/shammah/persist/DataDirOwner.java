package dev.shammah.persist;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import dev.shammah.json.Json;
import jakarta.json.JsonObject;

/**
 * One process owns a data dir at a time: it holds an exclusive lock on {@code data-dir/owner.json} for its whole
 * life and writes into that file who it is (pid, mode) and, once a daemon is listening, where it can be
 * reached. Other processes read the file to find the daemon and talk to it instead of opening the memory
 * themselves. The operating system drops the lock when the owner dies, even by {@code kill -9}, so a stale file
 * is recognised by its lock being free.
 */
public final class DataDirOwner implements AutoCloseable {
    static final String FILE = "owner.json";

    private final FileChannel channel;
    private final FileLock lock;
    private final String mode;

    /**
     * Who holds a data dir.
     *
     * @param pid  its process id
     * @param mode {@code daemon}, {@code repl} or {@code query}
     * @param url  where a daemon listens, or null (not yet, or not a daemon)
     */
    public record Holder(long pid, String mode, String url) {
        public String describe() {
            return "shammah " + mode + " (pid " + pid + (url == null ? "" : ", " + url) + ")";
        }
    }

    /** The result of trying to own a data dir: this process owns it, or another does. */
    public sealed interface Claim permits Owned, Taken {
    }

    public record Owned(DataDirOwner owner) implements Claim {
    }

    /** @param holder who holds it, if it said (it may be starting) */
    public record Taken(Optional<Holder> holder) implements Claim {
    }

    private DataDirOwner(FileChannel channel, FileLock lock, String mode) {
        this.channel = channel;
        this.lock = lock;
        this.mode = mode;
    }

    /** Takes ownership of {@code dataDir} for this process, or says who has it. */
    public static Claim claim(Path dataDir, String mode) {
        try {
            PrivateFiles.createDirectories(dataDir);
            FileChannel ch = FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            PrivateFiles.restrict(dataDir.resolve(FILE));
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                return new Taken(read(dataDir));
            }
            DataDirOwner owner = new DataDirOwner(ch, lock, mode);
            owner.write(null);
            return new Owned(owner);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open " + dataDir.resolve(FILE), e);
        }
    }

    /** Who holds {@code dataDir} now; empty when nobody does. */
    public static Optional<Holder> current(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe;
            try {
                probe = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                return read(dataDir);
            }
            if (probe != null) {
                // Free: whatever the file says is left over from a process that is gone.
                probe.release();
                return Optional.empty();
            }
            return read(dataDir).or(() -> Optional.of(new Holder(-1, "starting", null)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Holder> read(Path dataDir) {
        try {
            String text = Files.readString(dataDir.resolve(FILE), StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            JsonObject o = Json.createReader(new StringReader(text)).readObject();
            return Optional.of(new Holder(o.getJsonNumber("pid").longValue(), o.getString("mode", "?"),
                    o.isNull("url") ? null : o.getString("url", null)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Says where this daemon can be reached (once it listens). */
    public void announce(String url) {
        write(url);
    }

    private void write(String url) {
        var b = Json.createObjectBuilder().add("pid", ProcessHandle.current().pid()).add("mode", mode);
        if (url == null) {
            b.addNull("url");
        } else {
            b.add("url", url);
        }
        byte[] bytes = (b.build() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(bytes), 0);
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the data dir's owner file", e);
        }
    }

    /** Gives the data dir up: the file is emptied (no address left behind) and the lock released. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
