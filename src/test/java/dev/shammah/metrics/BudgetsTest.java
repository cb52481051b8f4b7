package dev.shammah.metrics;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import dev.shammah.config.Budget;
import dev.shammah.config.BudgetSettings;
import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Budgets: calendar periods in UTC, the spend of the current period only, a 402 once it is reached. */
class BudgetsTest {
    static final Instant NOW = Instant.parse("2026-12-09T15:00:00Z"); // a Wednesday

    @Test
    void periodsAreUtcCalendarDaysIsoWeeksAndMonths() {
        assertThat(Budget.Period.DAY.start(NOW), is(Instant.parse("2026-12-09T00:00:00Z")));
        assertThat(Budget.Period.DAY.end(NOW), is(Instant.parse("2026-12-10T00:00:00Z")));
        assertThat(Budget.Period.WEEK.start(NOW), is(Instant.parse("2026-12-07T00:00:00Z")));
        assertThat(Budget.Period.WEEK.end(NOW), is(Instant.parse("2026-12-14T00:00:00Z")));
        assertThat(Budget.Period.MONTH.start(NOW), is(Instant.parse("2026-12-01T00:00:00Z")));
        assertThat(Budget.Period.MONTH.end(NOW), is(Instant.parse("2027-01-01T00:00:00Z")));
    }

    @Test
    void forwardingIsRefusedOnceThePeriodsSpendReachesTheBudget() {
        Usage usage = new Usage(3.0, 15.0);
        BudgetSettings settings = new BudgetSettings(Map.of("acme", new Budget(0.01, Budget.Period.DAY)),
                null, 0.8);
        Budgets budgets = new Budgets(settings, usage, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat("no budget, no limit", budgets.state("other"), is((Budgets.State) null));
        budgets.check("other");
        // Yesterday's spend does not count today.
        usage.record(NOW.minusSeconds(86_400), "acme", "m", Usage.Outcome.FORWARDED, null, 1_000_000, 0);
        budgets.check("acme");
        usage.record(NOW, "acme", "m", Usage.Outcome.FORWARDED, null, 2000, 0); // $0.006
        assertThat(budgets.state("acme").state(), is("ok"));
        usage.record(NOW, "acme", "m", Usage.Outcome.FORWARDED, null, 1000, 0); // $0.009: 90%
        assertThat(budgets.state("acme").state(), is("warning"));
        java.util.List<String> logged = new java.util.ArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(Budgets.class.getName());
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r.getLevel() + " " + r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(h);
        try {
            budgets.check("acme");
            budgets.check("acme");
        } finally {
            log.removeHandler(h);
        }
        assertThat("past budget-warn-at: one warning per tenant and period", logged,
                is(java.util.List.of("WARNING Tenant acme has used $0.009 of its $0.01 day teacher budget")));
        usage.record(NOW, "acme", "m", Usage.Outcome.LOCAL, "same", 1_000_000, 0);
        assertThat("local answers cost nothing", budgets.state("acme").state(), is("warning"));
        usage.record(NOW, "acme", "m", Usage.Outcome.FORWARDED, null, 1000, 0); // $0.012
        ShammahException e = assertThrows(ShammahException.class, () -> budgets.check("acme"));
        assertThat(e.type(), is(ErrorType.BILLING));
        assertThat(e.getMessage(), containsString("$0.01 per day is spent"));
        assertThat(e.getMessage(), containsString("2026-12-10T00:00:00Z"));
    }
}
