package dev.shammah.cli;

/** The first line of {@code /training}, the same whether the figures came from this process or a daemon. */
final class TrainingText {
    private TrainingText() {
    }

    static String summary(boolean enabled, long exchanges, long passed, long failed, long trusted, long kinds) {
        return "learning " + (enabled ? "on" : "off") + " · " + exchanges + " teacher answers remembered · checks "
                + passed + " passed / " + failed + " failed · " + trusted + " of " + kinds
                + " kinds of rewording trusted";
    }
}
