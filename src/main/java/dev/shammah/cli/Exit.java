package dev.shammah.cli;

/**
 * Every exit status the {@code shammah} command ends with, in one place: scripts and systemd read them. Codes past
 * 3 are sysexits(3)'s, where one says the same thing.
 */
public enum Exit {
    /** Done. */
    OK(0),
    /** The request or command failed (the error is printed). */
    FAILED(1),
    /** The command line was wrong (usage is printed). */
    USAGE(2),
    /** {@code query --local}: nothing local could answer, and forwarding was ruled out. */
    NO_ROUTE(3),
    /** sysexits' EX_UNAVAILABLE: the daemon cannot listen (the address is taken). */
    CANNOT_LISTEN(69),
    /** sysexits' EX_CANTCREAT: the data dir is owned by another Shammah process (one owner per data dir). */
    IN_USE(73),
    /** sysexits' EX_CONFIG: systemd's unit does not restart on it, since a restart cannot fix a bad config. */
    CONFIG(78);

    private final int code;

    Exit(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
