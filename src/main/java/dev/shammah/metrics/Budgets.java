package dev.shammah.metrics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import dev.shammah.config.Budget;
import dev.shammah.config.BudgetSettings;
import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;

/**
 * Teacher budgets, checked before a request is forwarded: when a tenant's spend on forwarded requests in its
 * budget's period (from {@link Usage}) has reached the budget, forwarding is refused with Anthropic's
 * {@code billing_error} (402, which SDKs do not retry) until the period ends; local answers are not affected.
 * Crossing {@code usage.budget-warn-at} of a budget is logged once per tenant and period.
 *
 * <p>The check is against what has been counted: requests in flight when the budget is reached finish, so a
 * period can end a few requests over its budget — never more than the requests forwarded at once.
 */
public final class Budgets {
    private static final Logger LOG = Logger.getLogger(Budgets.class.getName());
    private final BudgetSettings settings;
    private final Usage usage;
    private final Clock clock;
    /** The period start each tenant was last warned for. */
    private final Map<String, Instant> warned = new ConcurrentHashMap<>();

    /** Where a tenant stands in its budget's current period. */
    public record State(Budget budget, Instant since, Instant until, long spentMicros, String state) {
        public double spentDollars() {
            return spentMicros / 1e6;
        }

        public boolean exhausted() {
            return EXHAUSTED.equals(state);
        }
    }

    private static final String EXHAUSTED = "exhausted";

    /** Whether {@code tenant} has a budget and has spent it this period: nothing of its may reach the teacher. */
    public boolean spent(String tenant) {
        State s = state(tenant);
        return s != null && s.exhausted();
    }

    public Budgets(BudgetSettings settings, Usage usage, Clock clock) {
        this.settings = settings;
        this.usage = usage;
        this.clock = clock;
    }

    /** Where {@code tenant} stands now; null when it has no budget. */
    public State state(String tenant) {
        Budget b = settings.of(tenant);
        if (b == null) {
            return null;
        }
        Instant now = clock.instant();
        Instant since = b.period().start(now);
        long spent = usage.spentMicros(tenant, since);
        long limit = Math.round(b.dollars() * 1e6);
        String state = spent >= limit ? EXHAUSTED : spent >= limit * settings.warnAt() ? "warning" : "ok";
        return new State(b, since, b.period().end(now), spent, state);
    }

    /**
     * Refuses a forward for a tenant whose budget is spent.
     *
     * @throws ShammahException 402 {@code billing_error}
     */
    public void check(String tenant) {
        State s = state(tenant);
        if (s == null) {
            return;
        }
        if (!"ok".equals(s.state()) && !s.since().equals(warned.put(tenant, s.since()))) {
            LOG.warning(String.format(Locale.ROOT, "Tenant %s has used $%s of its $%s %s teacher budget", tenant,
                    dollars(s.spentDollars()), dollars(s.budget().dollars()), s.budget().period().key()));
        }
        if (s.exhausted()) {
            throw new ShammahException(ErrorType.BILLING, String.format(Locale.ROOT, "This tenant's teacher budget "
                    + "of $%s per %s is spent ($%s since %s): requests that need the teacher are refused until %s. "
                    + "Requests Shammah can answer locally are still answered.", dollars(s.budget().dollars()),
                    s.budget().period().key(), dollars(s.spentDollars()), s.since(), s.until()));
        }
    }

    /** Cents for amounts a person budgets; more digits for the fractions of a cent a test or a trial sets. */
    static String dollars(double d) {
        return d >= 1 || d == 0 ? String.format(Locale.ROOT, "%.2f", d)
                : new BigDecimal(d).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }
}
