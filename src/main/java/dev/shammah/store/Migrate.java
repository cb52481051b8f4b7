package dev.shammah.store;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;

import dev.shammah.config.ConfigException;
import dev.shammah.config.StoreSettings;

/**
 * {@code shammah migrate}: brings the shared store's schema ({@code store.url}) to this version, or creates it in an
 * empty database. A running instance never upgrades the schema on its own — instances of the older version may
 * still be using it — so an upgrade is this one deliberate step (stop the old instances, migrate, start the new).
 */
public final class Migrate {
    private Migrate() {
    }

    /**
     * @return 0 done (or nothing to do), 1 the database is out of reach
     * @throws ConfigException not a shared store, the database refuses this configuration, or its schema is newer
     */
    public static int run(StoreSettings settings, PrintStream out, PrintStream err) {
        if (!settings.shared()) {
            throw new ConfigException("Invalid configuration: `shammah migrate` works on a shared store; set "
                    + "store.kind: postgres and store.url");
        }
        try (Database db = new Database(settings)) {
            try (Connection c = db.connection()) {
                c.isValid(5);
            } catch (SQLException e) {
                if (Database.misconfigured(e)) {
                    throw new ConfigException("Invalid configuration: the database at store.url " + settings.url()
                            + " refused this configuration (" + Database.describe(e) + ")", e);
                }
                err.println("shammah migrate: cannot reach " + settings.url() + ": " + Database.describe(e));
                return 1;
            }
            String[] v = Schema.migrate(db.dataSource(), settings.url());
            out.println(v[0].equals(v[1]) ? "Store schema at " + settings.url() + " is version " + v[1]
                    + ": nothing to do" : "Store schema at " + settings.url() + " migrated from " + v[0]
                    + " to version " + v[1]);
            return 0;
        }
    }
}
