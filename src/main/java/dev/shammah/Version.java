package dev.shammah;

/** This build's version, on its own: the store and the daemon's banner read it without reaching up into Main. */
public final class Version {
    public static final String NUMBER = "0.1.0";

    private Version() {
    }
}
