package dev.shammah.routing;

import dev.shammah.local.Exchange;

/**
 * Where one request goes, and why.
 *
 * @param local      answer locally
 * @param reason     {@code confident}, or why not: {@code ineligible}, {@code safety}, {@code no-candidate},
 *                   {@code learning} (not enough evidence yet), {@code explore} (a confident request sent to
 *                   the teacher on purpose, to keep checking), {@code busy}
 * @param candidate  the stored exchange a local answer would replay; null if none
 * @param matchScore how equivalent the request is to the candidate's, in [0, 1]; 0 without one
 * @param confidence the router's estimate that a local answer here passes the validator
 */
public record RouteDecision(boolean local, String reason, Exchange candidate, double matchScore, double confidence) {
    public static RouteDecision forward(String reason) {
        return new RouteDecision(false, reason, null, 0, 0);
    }

    public RouteDecision asForward(String why) {
        return new RouteDecision(false, why, candidate, matchScore, confidence);
    }
}
