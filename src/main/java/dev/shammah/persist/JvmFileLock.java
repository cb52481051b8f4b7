package dev.shammah.persist;

import java.util.concurrent.locks.ReentrantLock;

/**
 * What a writer holds while it asks the OS to lock a file that other writers in this JVM may lock too. An OS lock
 * ({@link java.nio.channels.FileLock}) is held by the whole JVM, not by a thread or a channel: a second channel asking
 * for an overlapping one while it is held gets {@code OverlappingFileLockException} instead of waiting. So threads
 * (and several logs of one data dir in one JVM) take turns here, and processes take turns at the OS lock. One for the
 * JVM, as the OS lock is; it keeps nothing but whose turn it is.
 */
public final class JvmFileLock {
    private static final ReentrantLock LOCK = new ReentrantLock();

    private JvmFileLock() {
    }

    public static void lock() {
        LOCK.lock();
    }

    public static void unlock() {
        LOCK.unlock();
    }
}
