package dev.shammah.cli;

/** The lines of {@code /training}, the same whether the figures came from this process or a daemon. */
final class TrainingText {
    private TrainingText() {
    }

    static String summary(boolean enabled, long exchanges, long passed, long failed, long trusted, long kinds) {
        return "learning " + (enabled ? "on" : "off") + " · " + exchanges + " teacher answers remembered · checks "
                + passed + " passed / " + failed + " failed · " + trusted + " of " + kinds
                + " kinds of rewording trusted";
    }

    /** What observing other words for stored questions has shown (docs/LEARNING.md, "Rewordings"). */
    static String rewordings(long candidates, long refused, long agreed, long disagreed) {
        return "other words for a remembered question (observed after forwards; served once the evidence allows): "
                + candidates
                + " seen · " + refused + " refused by the guard · of the rest " + agreed + " had the teacher's answer, "
                + disagreed + " did not";
    }
}
