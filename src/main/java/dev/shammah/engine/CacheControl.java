package dev.shammah.engine;

/**
 * What a client lets Shammah's store do with one request (the HTTP door reads it from {@code Cache-Control} and
 * {@code x-shammah-cache-type}).
 *
 * @param serve      a stored answer (or the user's model) may answer it; {@code no-cache} and {@code no-store} say no
 * @param store      the teacher's answer may be kept and learned from; {@code no-store} says no
 * @param otherWords a stored answer to other words may answer it (a rewording); {@code x-shammah-cache-type:
 *                   exact} says no, and leaves the same request (and its courtesy wrappers) served as before
 */
public record CacheControl(boolean serve, boolean store, boolean otherWords) {
    /** The default: whatever the evidence allows. */
    public static final CacheControl ANY = new CacheControl(true, true, true);
    /** {@code no-cache}: forward, and learn from the answer as usual. */
    public static final CacheControl NO_CACHE = new CacheControl(false, true, false);
    /** {@code no-store}: forward, and keep nothing of it. */
    public static final CacheControl NO_STORE = new CacheControl(false, false, false);

    public CacheControl {
        // RFC 9111 §5.2.1.5: what may not be stored may not be answered from the store either.
        serve = serve && store;
        otherWords = otherWords && serve;
    }

    /** This, and no other words either ({@code x-shammah-cache-type: exact}): the same request only. */
    public CacheControl exact() {
        return new CacheControl(serve, store, false);
    }
}
