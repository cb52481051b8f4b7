package dev.shammah.routing;

import dev.shammah.local.Exchange;

/**
 * Where one request goes, and why.
 *
 * @param local     answer locally
 * @param reason    {@code same} or {@code wrapped} (local), {@code requested-local}, or why not: {@code disabled},
 *                  {@code ineligible}, {@code too-long}, {@code safety}, {@code no-candidate}, {@code unproven}
 *                  (an equivalent exchange exists but the edit between them lacks evidence), {@code unstable}
 *                  (the teacher was measured to vary and this request has not been checked), {@code blocked}
 *                  (its stored answer failed a check), {@code busy}, {@code requested-forward}
 * @param candidate the stored exchange a local answer would replay; null if none
 * @param edit      how the request relates to the candidate; null without one
 * @param wrongRate the estimated chance that the candidate's answer is wrong for this request (0 for the same
 *                  request, 1 when unknown)
 */
public record RouteDecision(boolean local, String reason, Exchange candidate, Equivalence.Edit edit, double wrongRate) {
    public static RouteDecision forward(String reason) {
        return new RouteDecision(false, reason, null, null, 1);
    }

    public RouteDecision asForward(String why) {
        return new RouteDecision(false, why, candidate, edit, wrongRate);
    }

    /** {@code same}, {@code wrapped} or null: how the candidate matched. */
    public String match() {
        if (edit == null) {
            return null;
        }
        return edit.relation() == Equivalence.Relation.SAME ? "same" : "wrapped";
    }
}
