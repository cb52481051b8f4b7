package dev.shammah.config;

import java.util.HashMap;
import java.util.Map;

import io.helidon.config.Config;

/**
 * Teacher budgets: per tenant group ({@code learning.tenants[].budget: {dollars: 50, period: month}}) and for
 * every other tenant ({@code usage.default-budget}); a tenant with neither has none.
 *
 * @param groups   budgets by group name
 * @param fallback the budget of a tenant whose group sets none; null for no budget
 * @param warnAt   the share of a budget at which a warning is logged and shown
 */
public record BudgetSettings(Map<String, Budget> groups, Budget fallback, double warnAt) {
    public static final BudgetSettings NONE = new BudgetSettings(Map.of(), null, 0.8);

    public BudgetSettings {
        groups = Map.copyOf(groups);
    }

    /** The budget of {@code tenant}; null when it has none. */
    public Budget of(String tenant) {
        return groups.getOrDefault(tenant, fallback);
    }

    static BudgetSettings read(ConfigReader r) {
        Map<String, Budget> groups = new HashMap<>();
        Config tenants = r.node(ConfigKeys.LEARNING_TENANTS);
        if (tenants.exists() && tenants.type() == Config.Type.LIST) {
            for (Config group : tenants.asNodeList().get()) {
                Config b = group.get("budget");
                if (b.exists()) {
                    String name = group.get("name").asString().orElse("").trim();
                    Budget budget = budget(ConfigKeys.LEARNING_TENANTS + " '" + name + "' budget",
                            b.get("dollars").asString().orElse(""), b.get("period").asString().orElse("month"));
                    if (budget != null) {
                        groups.put(name, budget);
                    }
                }
            }
        }
        Budget fallback = budget(ConfigKeys.USAGE_DEFAULT_BUDGET_DOLLARS,
                r.string(ConfigKeys.USAGE_DEFAULT_BUDGET_DOLLARS), r.string(ConfigKeys.USAGE_DEFAULT_BUDGET_PERIOD));
        double warnAt = r.fraction(ConfigKeys.USAGE_BUDGET_WARN_AT);
        return new BudgetSettings(groups, fallback, warnAt);
    }

    /** A budget from its two fields; null for none (no dollars, or 0). */
    private static Budget budget(String where, String dollars, String period) {
        if (dollars == null || dollars.isBlank()) {
            return null;
        }
        double d;
        try {
            d = Double.parseDouble(dollars.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("Invalid configuration: " + where + " dollars must be a number (got '" + dollars
                    + "')");
        }
        if (!(d >= 0) || Double.isInfinite(d)) {
            throw new ConfigException("Invalid configuration: " + where + " dollars must be 0 or more (got '" + dollars
                    + "')");
        }
        return d == 0 ? null : new Budget(d, Budget.Period.parse(where + " period", period));
    }
}
