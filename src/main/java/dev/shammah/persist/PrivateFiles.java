package dev.shammah.persist;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Everything Shammah writes holds prompts, answers or keys' traces: directories are created 0700 and files
 * 0600, whatever the process's umask (a CLI user's is usually 022). On a file system without POSIX permissions
 * the modes are skipped.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** The attribute that creates a file 0600 in one step (no window in which it is readable by others). */
    public static FileAttribute<?>[] fileAttributes(Path where) {
        return posix(where) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                : new FileAttribute<?>[0];
    }

    /** Creates {@code dir} and any missing parents 0700. */
    public static Path createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return dir;
        }
        Path parent = abs.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        try {
            if (posix(parent == null ? abs : parent)) {
                Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(DIR));
            } else {
                Files.createDirectory(abs);
            }
        } catch (FileAlreadyExistsException e) {
            // another process made it first
        }
        return dir;
    }

    /** Sets a file 0600 (a directory 0700); quietly does nothing where that is impossible. */
    public static void restrict(Path path) {
        try {
            if (posix(path)) {
                Files.setPosixFilePermissions(path, Files.isDirectory(path) ? DIR : FILE);
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not ours to change (another user's file, a read-only mount): leave it
        }
    }

    private static boolean posix(Path where) {
        try {
            Path p = where.toAbsolutePath();
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            return p != null && Files.getFileStore(p).supportsFileAttributeView("posix");
        } catch (IOException e) {
            return false;
        }
    }
}
