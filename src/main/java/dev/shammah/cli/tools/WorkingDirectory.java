package dev.shammah.cli.tools;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Paths as the file tools see them: resolved before anyone approves them — normalised, and with symbolic links
 * followed for the parts that exist — so that an approval is matched against the file that will be opened, not
 * against the text the model wrote ({@code src/../../etc/hostname}, or {@code src/link} pointing out of the
 * folder).
 */
final class WorkingDirectory {
    private final Path root;

    WorkingDirectory(Path dir) {
        this.root = real(dir.toAbsolutePath().normalize());
    }

    /**
     * A path resolved.
     *
     * @param path   the absolute real path that will be opened
     * @param inside whether it is the working directory or under it
     * @param shown  what approvals match: relative to the working directory when inside ({@code .} for the
     *               directory itself), absolute when outside
     */
    record Target(Path path, boolean inside, String shown) {
    }

    Path root() {
        return root;
    }

    Target resolve(String given) {
        Path path = real(root.resolve(given).normalize());
        boolean inside = path.startsWith(root);
        String shown = !inside ? path.toString() : path.equals(root) ? "." : root.relativize(path).toString();
        return new Target(path, inside, shown);
    }

    /** The path relative to the working directory when under it, else absolute: how results name files. */
    String name(Path path) {
        return path.startsWith(root) ? root.relativize(path).toString() : path.toString();
    }

    /**
     * Whether a pattern's path part names a place outside the working directory explicitly: an absolute path.
     * Patterns match relative paths for what is inside, so {@code src/*} or {@code *} never reach outside.
     */
    static boolean namesOutside(String patternPath) {
        return patternPath.startsWith("/") || patternPath.startsWith("^/");
    }

    /** The real path of {@code p}: links followed for its longest existing prefix, the rest appended as written. */
    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            Path parent = p.getParent();
            return parent == null || p.getFileName() == null ? p : real(parent).resolve(p.getFileName());
        }
    }
}
