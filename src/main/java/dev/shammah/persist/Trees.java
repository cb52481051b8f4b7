package dev.shammah.persist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folders the data dir holds that are removed whole: an old adapter, a derived copy rebuilt at start. */
public final class Trees {
    private Trees() {
    }

    /** Deletes {@code dir} and everything in it, deepest first; nothing when it is not there. */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
