package dev.shammah.routing;

import dev.shammah.local.Exchange;

/**
 * Where one request goes, and why.
 *
 * @param local     answer locally
 * @param why       why: local or not ({@link RouteReason})
 * @param model     the local model asked for by name, with {@link RouteReason#REQUESTED_MODEL}; else null
 * @param candidate the stored exchange a local answer would replay; null if none
 * @param edit      how the request relates to the candidate; null without one
 * @param wrongRate the estimated chance that the candidate's answer is wrong for this request (0 for the same
 *                  request, 1 when unknown)
 */
public record RouteDecision(boolean local, RouteReason why, String model, Exchange candidate, Equivalence.Edit edit,
                            double wrongRate) {
    public RouteDecision(boolean local, RouteReason why, Exchange candidate, Equivalence.Edit edit, double wrongRate) {
        this(local, why, null, candidate, edit, wrongRate);
    }

    public static RouteDecision forward(RouteReason why) {
        return new RouteDecision(false, why, null, null, 1);
    }

    /** The same candidate, forwarded for another reason. */
    public RouteDecision asForward(RouteReason instead) {
        return new RouteDecision(false, instead, candidate, edit, wrongRate);
    }

    /** The reason as the wire spells it: {@code x-shammah-reason}, the request log, the routes meter. */
    public String reason() {
        return model == null ? why.text() : why.text() + ':' + model;
    }

    /** {@code same}, {@code wrapped} or null: how the candidate matched. */
    public String match() {
        if (edit == null) {
            return null;
        }
        return edit.relation() == Equivalence.Relation.SAME ? "same" : "wrapped";
    }
}
