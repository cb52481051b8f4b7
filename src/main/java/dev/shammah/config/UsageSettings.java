package dev.shammah.config;

/**
 * Usage accounting ({@code usage.*}).
 *
 * @param keepDays how many days of hourly usage rows are kept (older ones are deleted at start and each day)
 * @param budgets  teacher budgets per tenant
 */
public record UsageSettings(int keepDays, BudgetSettings budgets) {
}
