package dev.shammah.learning;

import java.util.List;

/**
 * What {@code GET /v1/training/status} and the REPL's {@code /training} show: the learning core's state as seen
 * by one tenant (its own evidence; totals for the server).
 *
 * @param enabled         learning on
 * @param tenant          whose evidence this is
 * @param memoryExchanges exchanges stored, all tenants
 * @param tenantExchanges exchanges stored for this tenant
 * @param local           answers served locally since start
 * @param forward         answers forwarded since start
 * @param dollarsSaved    estimated teacher cost of the local answers since start (pricing.*), this app's own
 * @param maxWrongRate    the operator's bound
 * @param verifyRate      share of local answers checked against the teacher
 * @param shadow          comparisons of forwarded answers with stored candidates
 * @param verify          checks of served local answers
 * @param stability       how often the teacher answers the very same request differently (this tenant)
 * @param kinds           the kinds of edit measured for this tenant
 * @param blockedRequests request shapes never served locally again because their answer failed
 * @param learningDropped learning work dropped because the queue was full
 * @param learningQueued  learning work waiting now
 * @param rewordings      what serving rewordings would have done, observed in shadow (null with learning off)
 */
public record LearningStatus(boolean enabled, String tenant, int memoryExchanges, int tenantExchanges, long local,
                             long forward, double dollarsSaved, double maxWrongRate, double verifyRate, Comparisons shadow,
                             Comparisons verify, Stability stability, List<Kind> kinds, int blockedRequests,
                             long learningDropped, int learningQueued, RewordingStatus rewordings) {
    public LearningStatus {
        kinds = List.copyOf(kinds);
    }

    /**
     * Comparisons by result; {@code skipped} counts verifications not made because enough were in flight or the
     * tenant's {@code learning.verify-per-minute} was spent.
     */
    public record Comparisons(long passes, long fails, long skipped) {
    }

    /**
     * @param comparisons      comparisons of answers to the same request
     * @param disagreements    of which the answers disagreed
     * @param stable           whether identical requests may be answered from memory without a check of their own
     * @param editBar          the similarity an answer across an edit must reach (1 = identical)
     */
    public record Stability(long comparisons, long disagreements, boolean stable, double editBar) {
    }

    /**
     * @param edit         the kind of edit, e.g. {@code pre:hi} or {@code suf:thank you}
     * @param courtesy     a built-in or configured courtesy phrase (a better prior)
     * @param passes       comparisons across it that passed
     * @param fails        that failed (one is enough never to trust it)
     * @param wrongRate    estimated chance an answer reused across it is wrong
     * @param trusted      whether wrongRate is within the bound
     * @param passesNeeded passes it needs in all, with no failure
     */
    public record Kind(String edit, boolean courtesy, long passes, long fails, double wrongRate, boolean trusted,
                       int passesNeeded) {
    }
}
