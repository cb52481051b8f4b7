package dev.shammah.config;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * A tenant's teacher budget: at most {@code dollars} of forwarded requests per {@code period} (UTC calendar day,
 * ISO week from Monday, or calendar month), at the configured prices.
 */
public record Budget(double dollars, Period period) {
    /** The calendar periods a budget can run over, in UTC. */
    public enum Period {
        DAY, WEEK, MONTH;

        /** Where the period holding {@code at} began. */
        public Instant start(Instant at) {
            LocalDate d = LocalDate.ofInstant(at, ZoneOffset.UTC);
            LocalDate s = switch (this) {
                case DAY -> d;
                case WEEK -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                case MONTH -> d.withDayOfMonth(1);
            };
            return s.atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        /** Where the period holding {@code at} ends (the next one's start). */
        public Instant end(Instant at) {
            LocalDate s = LocalDate.ofInstant(start(at), ZoneOffset.UTC);
            LocalDate e = switch (this) {
                case DAY -> s.plusDays(1);
                case WEEK -> s.plusWeeks(1);
                case MONTH -> s.plusMonths(1);
            };
            return e.atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Period parse(String where, String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("Invalid configuration: " + where + " must be day, week or month (got '" + s
                        + "')");
            }
        }
    }
}
