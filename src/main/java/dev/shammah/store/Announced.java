package dev.shammah.store;

/**
 * What a notification on {@value Changes#CHANNEL} told a {@link Follower}, or what a round reads: the kinds of
 * change, and the highest change number at the last announcement (every change up to it was announced by then).
 * {@link #ALL}: a poll, everything there is.
 */
record Announced(String kinds, long upTo) {
    static final Announced NONE = new Announced("", 0);
    static final Announced ALL = new Announced(Changes.ALL, Long.MAX_VALUE);

    /** "instance|kinds|number"; this instance's own, and anything unreadable as a poll would, read whole. */
    static Announced parse(String payload, String self) {
        String[] p = payload.split("\\|");
        if (p.length != 3) {
            return ALL;
        }
        try {
            return p[0].equals(self) ? NONE : new Announced(p[1], Long.parseLong(p[2]));
        } catch (NumberFormatException e) {
            return ALL;
        }
    }

    Announced and(Announced other) {
        return new Announced(kinds + other.kinds, Math.max(upTo, other.upTo));
    }
}
