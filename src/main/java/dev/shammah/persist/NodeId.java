package dev.shammah.persist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A data dir's own id ({@code data-dir/node-id}), the same across restarts: what tells one instance's trained
 * adapters from another's when they share a store (both may name theirs "adapter-000003").
 */
public final class NodeId {
    private NodeId() {
    }

    public static String of(Path dataDir) {
        Path file = dataDir.resolve("node-id");
        try {
            if (Files.isRegularFile(file)) {
                String id = Files.readString(file).strip();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            String id = UUID.randomUUID().toString().substring(0, 8);
            AtomicFiles.write(file, id + "\n");
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write " + file, e);
        }
    }
}
