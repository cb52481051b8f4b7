package dev.shammah.store;

import javax.sql.DataSource;

import dev.shammah.config.ConfigException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The shared store's tables, versioned by Flyway migrations ({@code dev/shammah/store/migration}) recorded in
 * {@code shammah_schema_history}. An empty database is given the schema at the first start; a schema older than
 * this Shammah is upgraded only on request ({@code shammah migrate}: other instances may still be running the old
 * version against it), and one newer than it is never touched. Either mismatch stops start-up (exit 78).
 */
public final class Schema {
    /** The schema version this code reads and writes. */
    public static final int VERSION = 2;

    private Schema() {
    }

    private static Flyway flyway(DataSource ds) {
        return Flyway.configure()
                .dataSource(ds)
                .locations("classpath:dev/shammah/store/migration")
                .table("shammah_schema_history")
                // All pending migrations in one transaction (PostgreSQL's DDL is transactional): an instance starting
                // beside one that is creating the schema sees none of it or all of it, never version 1 of 2 — which
                // it would refuse as an old schema to be migrated by hand.
                .group(true)
                .load();
    }

    private static final MigrationVersion THIS = MigrationVersion.fromVersion(Integer.toString(VERSION));

    /** The schema version the database holds; null for none. */
    static MigrationVersion current(DataSource ds) {
        MigrationInfo current = flyway(ds).info().current();
        return current == null ? null : current.getVersion();
    }

    /**
     * Makes sure the database holds exactly this version's schema, creating it in an empty database.
     *
     * @throws ConfigException when it is older (run {@code shammah migrate}) or newer (upgrade Shammah), or the
     *                         database holds tables of someone else's
     */
    static void check(DataSource ds, String url) {
        try {
            MigrationVersion current = current(ds);
            if (current == null) {
                flyway(ds).migrate();
                return;
            }
            if (current.isNewerThan(THIS)) {
                throw new ConfigException("Invalid configuration: the database at store.url " + url
                        + " holds Shammah's store schema version " + current + ", newer than this Shammah "
                        + "understands (version " + VERSION + "); upgrade Shammah to the version the other instances run");
            }
            if (THIS.isNewerThan(current)) {
                throw new ConfigException("Invalid configuration: the database at store.url " + url
                        + " holds Shammah's store schema version " + current + ", older than this Shammah needs "
                        + "(version " + VERSION + "); run `shammah migrate` once to upgrade it (instances of the "
                        + "older version should be stopped first)");
            }
            flyway(ds).validate();
        } catch (FlywayException e) {
            if (Database.unreachable(e)) {
                throw new StoreUnavailable("store unreachable: " + Database.describe(e), e);
            }
            throw new ConfigException("Invalid configuration: the database at store.url " + url
                    + " cannot hold Shammah's store (" + Database.describe(e) + "); give Shammah a database of its own",
                    e);
        }
    }

    /** Upgrades an older schema (or creates it); returns the versions before and after ("none" for none). */
    static String[] migrate(DataSource ds, String url) {
        try {
            MigrationVersion before = current(ds);
            if (before != null && before.isNewerThan(THIS)) {
                throw new ConfigException("Invalid configuration: the database at store.url " + url
                        + " holds store schema version " + before + ", newer than this Shammah's " + VERSION
                        + "; nothing was changed");
            }
            flyway(ds).migrate();
            return new String[] {before == null ? "none" : before.getVersion(), current(ds).getVersion()};
        } catch (FlywayException e) {
            throw new ConfigException("Invalid configuration: cannot migrate the store at " + url + " ("
                    + Database.describe(e) + ")", e);
        }
    }
}
