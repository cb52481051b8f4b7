package dev.shammah.session;

import java.util.Optional;

/**
 * Where conversations are kept: in this process ({@link SessionStore}) or shared by every instance through a
 * database. Sessions are namespaced by owner — another owner's session is no session at all — and a turn holds its
 * session from reading the history to recording the answer, so two turns of one conversation never build on the
 * same history.
 */
public interface Sessions {
    /**
     * The session a turn continues, held until {@link SessionLease#close()}; a new one (stored only once the turn
     * is recorded) when {@code id} is null or names no session yet.
     *
     * @param owner  the authenticated client, or null with auth off
     * @param client who asks (key id, or address), for the per-client limit
     * @throws dev.shammah.errors.ShammahException 400 for a malformed id, 404 for a session that expired or was
     *                                             evicted, 409 when another turn of it is still being answered after
     *                                             the wait
     */
    SessionLease open(String id, String owner, String client);

    /** The session's metadata if {@code owner} may see it. */
    Optional<SessionSnapshot> find(String id, String owner);

    /** Whether {@code owner}'s session {@code id} expired or was evicted (as far as the bounded record goes). */
    boolean gone(String id, String owner);

    /** Deletes the session if {@code owner} may use it; its id may be used again afterwards. */
    boolean delete(String id, String owner);

    /** Sessions held now. */
    int size();

    /** Drops sessions idle longer than the timeout, except one whose turn is in flight; returns how many went. */
    int expireIdle();
}
