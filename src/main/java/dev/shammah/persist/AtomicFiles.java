package dev.shammah.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The one way small state files are replaced: write a temporary file beside the target, fsync it, rename it
 * over the target in one atomic step. A crash at any point leaves the old file or the new one, never half.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void write(Path file, String text) throws IOException {
        PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(".tmp-" + file.getFileName());
        writeSynced(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes and fsyncs {@code file} in place (for files inside a directory that is itself renamed into place). */
    public static void writeSynced(Path file, String text) throws IOException {
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), PrivateFiles.fileAttributes(file))) {
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }
}
