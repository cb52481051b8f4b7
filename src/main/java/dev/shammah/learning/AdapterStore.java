package dev.shammah.learning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import dev.shammah.local.hf.LoraAdapter;
import dev.shammah.persist.AtomicFiles;
import dev.shammah.persist.PrivateFiles;
import dev.shammah.persist.Trees;

/**
 * The LoRA adapters on disk: {@code data-dir/lora/adapter-NNNNNN/} (PEFT's files), numbered after the newest kept
 * one, the newest {@code keep} kept, and {@code PROMOTED} naming the one that serves (none: the base model).
 */
final class AdapterStore {
    private static final String PREFIX = "adapter-";
    private static final String PROMOTED = "PROMOTED";

    private final Path dir;
    private final int keep;

    AdapterStore(Path dir, int keep) throws IOException {
        this.dir = PrivateFiles.createDirectories(dir);
        this.keep = keep;
    }

    Path path(String name) {
        return dir.resolve(name);
    }

    /** Kept adapters' names, oldest first. */
    List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX)).sorted().toList();
        }
    }

    /** Writes a new adapter under the next number, names it in PROMOTED, prunes the oldest; returns its name. */
    String promote(LoraAdapter adapter, String baseModel) throws IOException {
        int last = names().stream().map(n -> n.substring(PREFIX.length())).filter(n -> n.matches("\\d+"))
                .mapToInt(Integer::parseInt).max().orElse(0);
        String name = String.format(Locale.ROOT, PREFIX + "%06d", last + 1);
        // Written beside, then renamed whole: a crash leaves no half-written adapter that numbering or a rollback
        // would count.
        Path tmp = dir.resolve(".tmp-" + name);
        adapter.save(tmp, baseModel);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        serve(name);
        prune(name);
        return name;
    }

    /** Names the adapter that serves from now on and after a restart ("base": none). */
    void serve(String name) throws IOException {
        if (name.equals("base")) {
            Files.deleteIfExists(dir.resolve(PROMOTED));
        } else {
            AtomicFiles.write(dir.resolve(PROMOTED), name);
        }
    }

    /** The adapter PROMOTED names, if any. */
    Optional<String> promoted() throws IOException {
        Path marker = dir.resolve(PROMOTED);
        return Files.isRegularFile(marker) ? Optional.of(Files.readString(marker).strip()) : Optional.empty();
    }

    private void prune(String newest) throws IOException {
        List<String> all = new ArrayList<>(names());
        while (all.size() > keep) {
            String old = all.removeFirst();
            if (old.equals(newest)) {
                continue;
            }
            Trees.delete(dir.resolve(old));
        }
    }
}
