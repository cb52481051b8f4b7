package dev.shammah.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which model a folder holds, in twelve hex digits: instances sharing a store share the evidence for the user's
 * model only where they run the same one. SHA-256 over {@code config.json} and, for each weights file, its name,
 * size and first and last mebibyte (its tensor table, and weights: two fine-tunes of one architecture differ there),
 * so it costs milliseconds even for gigabytes.
 */
public final class ModelFingerprint {
    private static final int SAMPLE = 1 << 20;

    private ModelFingerprint() {
    }

    public static String of(Path dir) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            Path config = dir.resolve("config.json");
            if (Files.isRegularFile(config)) {
                d.update(Files.readAllBytes(config));
            }
            List<Path> weights;
            try (Stream<Path> files = Files.list(dir)) {
                weights = files.filter(p -> {
                    String n = p.getFileName().toString();
                    return n.endsWith(".safetensors") || n.endsWith(".pt") || n.endsWith(".bin");
                }).sorted().toList();
            }
            for (Path w : weights) {
                d.update(w.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                try (FileChannel ch = FileChannel.open(w)) {
                    long size = ch.size();
                    d.update(ByteBuffer.allocate(Long.BYTES).putLong(size).flip());
                    d.update(read(ch, 0, (int) Math.min(SAMPLE, size)));
                    d.update(read(ch, Math.max(0, size - SAMPLE), (int) Math.min(SAMPLE, size)));
                }
            }
            return HexFormat.of().formatHex(d.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the model in " + dir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ByteBuffer read(FileChannel ch, long from, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining() && ch.read(b, from + b.position()) > 0) {
            // Read until full or the end of the file.
        }
        return b.flip();
    }
}
