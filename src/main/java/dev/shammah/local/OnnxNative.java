package dev.shammah.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

import dev.shammah.persist.PrivateFiles;

/**
 * ONNX Runtime's Java loader extracts its native libraries into a fresh {@code /tmp/onnxruntime-java*} folder on
 * every start and never removes them (a day of {@code query} runs left 134 folders, 198 MB). It first looks for
 * the system property {@code onnxruntime.native.path}: so the libraries are extracted once, per version, into
 * Shammah's cache folder ({@link #cacheDir}), and every later start loads them from there.
 */
public final class OnnxNative {
    private static final Logger LOG = Logger.getLogger(OnnxNative.class.getName());
    private static final List<String> LIBRARIES = List.of("libonnxruntime.so", "libonnxruntime4j_jni.so");
    private static volatile boolean prepared;

    private OnnxNative() {
    }

    /**
     * The per-user cache: {@code SHAMMAH_CACHE_DIR}, else {@code $XDG_CACHE_HOME/shammah}, else
     * {@code ~/.cache/shammah} (where {@code ~} is {@code $HOME}).
     */
    public static Path cacheDir() {
        String explicit = System.getenv("SHAMMAH_CACHE_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "shammah");
        }
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".cache", "shammah");
    }

    /** Points ONNX Runtime at its libraries in the cache, extracting them the first time. Idempotent. */
    public static synchronized void prepare() {
        if (prepared || System.getProperty("onnxruntime.native.path") != null) {
            prepared = true;
            return;
        }
        prepared = true;
        String platform = platform();
        if (platform == null) {
            return; // let ONNX Runtime's own loader deal with an unusual platform
        }
        try {
            Path dir = cacheDir().resolve("native").resolve("onnxruntime-" + version() + "-" + platform);
            if (!LIBRARIES.stream().allMatch(l -> Files.isRegularFile(dir.resolve(l)))) {
                extract(dir, platform);
            }
            System.setProperty("onnxruntime.native.path", dir.toString());
        } catch (IOException | RuntimeException e) {
            // Falling back to ONNX Runtime's extraction costs /tmp space, not correctness.
            LOG.warning("Cannot cache ONNX Runtime's native libraries in " + cacheDir() + " (" + e.getMessage()
                    + "); it will extract them to the temporary folder");
        }
    }

    /** Extracts into a sibling temporary folder and renames it into place, so a reader never sees half. */
    private static void extract(Path dir, String platform) throws IOException {
        PrivateFiles.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), ".extract-");
        try {
            for (String lib : LIBRARIES) {
                try (InputStream in = OnnxNative.class.getResourceAsStream("/ai/onnxruntime/native/" + platform
                        + "/" + lib)) {
                    if (in == null) {
                        throw new IOException(lib + " is not in the onnxruntime jar for " + platform);
                    }
                    Files.copy(in, tmp.resolve(lib));
                }
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another process extracted the same version first: use theirs
            }
        } finally {
            if (Files.isDirectory(tmp)) {
                try (var files = Files.list(tmp)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return null;
        }
        return arch.equals("amd64") || arch.equals("x86_64") ? "linux-x64"
                : arch.equals("aarch64") ? "linux-aarch64" : null;
    }

    /** The onnxruntime jar's version, from its file name (onnxruntime-1.21.1.jar), without loading the library. */
    private static String version() {
        try {
            var src = ai.onnxruntime.OrtEnvironment.class.getProtectionDomain().getCodeSource();
            String name = Path.of(src.getLocation().toURI()).getFileName().toString();
            if (name.startsWith("onnxruntime-") && name.endsWith(".jar")) {
                return name.substring("onnxruntime-".length(), name.length() - ".jar".length());
            }
        } catch (Exception e) {
            // fall through
        }
        String v = ai.onnxruntime.OrtEnvironment.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
