package dev.shammah.routing;

/**
 * Why a request went where it went, as {@code x-shammah-reason}, the request log's {@code reason} and
 * {@code shammah_routes_total{reason}} spell it. A new reason is a constant here, and a {@code switch} expression over
 * them without a {@code default} (as {@code RoutePlanner.forced}'s) stops compiling until it handles it.
 */
public enum RouteReason {
    /** Local: the same request, or the same in courtesy wrappers whose kind of edit has evidence. */
    SAME("same"),
    /** Local: the request wraps a stored one in words whose kind of edit has evidence. */
    WRAPPED("wrapped"),
    /** Local, forced by an admin ({@code x-shammah-route: local}). */
    REQUESTED_LOCAL("requested-local"),
    /** Local: another wording of a stored question, within the learned bound (docs/LEARNING.md). */
    REWORDED("reworded"),
    /** Local: the user's own model, where its evidence trusts it. */
    GENERATOR("generator"),
    /** Local: a local model asked for by name; the wire text carries the name ({@code requested:<model>}). */
    REQUESTED_MODEL("requested"),
    /** Forwarded: learning is off. */
    DISABLED("disabled"),
    /** Forwarded: the shared store is out of reach. */
    STORE_UNAVAILABLE("store-unavailable"),
    /** Forwarded: not a last user turn of text. */
    INELIGIBLE("ineligible"),
    /** Forwarded: a prompt past the longest the router compares. */
    TOO_LONG("too-long"),
    /** Forwarded: a safety topic. */
    SAFETY("safety"),
    /** Forwarded: nothing stored is the same request. */
    NO_CANDIDATE("no-candidate"),
    /** Forwarded: an equivalent exchange exists but the edit between them lacks evidence. */
    UNPROVEN("unproven"),
    /** Forwarded: the teacher was measured to vary and this request has not been checked. */
    UNSTABLE("unstable"),
    /** Forwarded: its stored answer failed a check. */
    BLOCKED("blocked"),
    /** Forwarded, as the client asked ({@code x-shammah-route: forward}). */
    REQUESTED_FORWARD("requested-forward"),
    /** Forwarded: {@code Cache-Control: no-cache}. */
    NO_CACHE("no-cache"),
    /** Forwarded and not stored: {@code Cache-Control: no-store}. */
    NO_STORE("no-store"),
    /** Forwarded: a rewording, with {@code x-shammah-cache-type: exact}. */
    EXACT_ONLY("exact-only");

    private final String text;

    RouteReason(String text) {
        this.text = text;
    }

    /** The reason as the wire spells it. */
    public String text() {
        return text;
    }
}
