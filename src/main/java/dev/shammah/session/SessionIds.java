package dev.shammah.session;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;

/**
 * What every session store agrees on about ids — which a client may choose, how the server makes its own — and the
 * refusals a turn can meet, worded once.
 */
public final class SessionIds {
    /** Client-chosen ids must stay printable and short: they end up in URLs, logs and headers. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    /** Ids this server hands out ({@link #newId}). */
    private static final Pattern ISSUED = Pattern.compile("sess_[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionIds() {
    }

    /** 128 random bits: ids are bearer tokens for a conversation, so they must not be guessable. */
    public static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "sess_" + HexFormat.of().formatHex(bytes);
    }

    /** Whether a client's id has an acceptable shape. */
    public static boolean valid(String id) {
        return ID.matcher(id).matches();
    }

    /** @throws ShammahException 400 when a client's id is malformed */
    public static void check(String id) {
        if (!valid(id)) {
            throw ShammahException.invalid("session_id: must be 1-128 characters of letters, digits, '_' or '-'");
        }
    }

    /** Whether an id has the shape of one this server handed out. */
    public static boolean issued(String id) {
        return ISSUED.matcher(id).matches();
    }

    /** 404: the session expired or was evicted (its client gets told, not an empty conversation). */
    public static ShammahException gone(String id, Instant when) {
        return new ShammahException(ErrorType.NOT_FOUND, "session_id: session '" + id + "' expired or was evicted at "
                + when + " (server.session-timeout-minutes, server.max-sessions); start a new conversation without "
                + "session_id");
    }

    /**
     * 404: an id of the form this server hands out that is not held. Such ids are only ever made by
     * {@link #newId}, never from a request, so one that is not held expired, was evicted, was forgotten by a restart
     * (or by the bounded record of sessions gone) — or was never issued. Telling the client is what keeps a
     * conversation from coming back silently empty once its record is gone.
     */
    public static ShammahException unknown(String id) {
        return new ShammahException(ErrorType.NOT_FOUND, "session_id: session '" + id + "' is not held here: it "
                + "expired, was evicted or was forgotten by a restart (ids of the form sess_… are issued by Shammah, "
                + "never created from a request); start a new conversation without session_id");
    }

    /** 409: another turn of the session is still being answered after the wait. */
    public static ShammahException busy(String id) {
        return new ShammahException(ErrorType.CONFLICT, "session_id: another turn of session '" + id
                + "' is still being answered; send the next turn when it ends");
    }

    /** 409: the wait for the session was interrupted. */
    public static ShammahException interrupted(String id) {
        return new ShammahException(ErrorType.CONFLICT, "session_id: interrupted while waiting for session '" + id
                + "'");
    }
}
