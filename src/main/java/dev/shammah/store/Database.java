package dev.shammah.store;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import java.util.Properties;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.shammah.config.StoreSettings;
import org.postgresql.Driver;

/**
 * The PostgreSQL database of {@code store.kind: postgres}: a HikariCP pool that starts even while the database is
 * out of reach (an outage must not stop an instance from forwarding), and the few facts about failures the rest of
 * the store acts on.
 */
public final class Database implements AutoCloseable {
    /** How long a caller waits for a pooled connection: a turn of a shared session waits no longer on the pool. */
    static final Duration CONNECTION_WAIT = Duration.ofSeconds(2);

    private final HikariDataSource pool;
    private final StoreSettings settings;

    public Database(StoreSettings settings) {
        this.settings = settings;
        HikariConfig c = new HikariConfig();
        c.setPoolName("shammah-store");
        c.setJdbcUrl(settings.url());
        c.setDataSourceProperties(properties(settings, "shammah"));
        c.setMaximumPoolSize(settings.poolSize());
        c.setMinimumIdle(Math.min(2, settings.poolSize()));
        c.setConnectionTimeout(CONNECTION_WAIT.toMillis());
        // Start without the database: the instance forwards until it can reach it.
        c.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(c);
    }

    DataSource dataSource() {
        return pool;
    }

    StoreSettings settings() {
        return settings;
    }

    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * A connection of its own, outside the pool, for LISTEN: it is held for as long as the instance follows the
     * store, and a pooled one would be taken from the requests.
     */
    Connection dedicated() throws SQLException {
        return new Driver().connect(settings.url(), properties(settings, "shammah-follower"));
    }

    /** What every connection is opened with, pooled or not. */
    private static Properties properties(StoreSettings settings, String application) {
        Properties p = new Properties();
        if (!settings.user().isEmpty()) {
            p.setProperty("user", settings.user());
        }
        if (!settings.password().isEmpty()) {
            p.setProperty("password", settings.password());
        }
        // A database that stops answering (not just refusing) must not hold a request or the follower for ever.
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "30");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", application);
        return p;
    }

    /**
     * Whether a failure says the configuration is wrong (bad password, no such database or role, not allowed) rather
     * than that the database is out of reach for now: the first is exit 78 at start, the second an outage.
     */
    static boolean misconfigured(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                // 28: invalid authorization; 3D000: no such database; 42501: insufficient privilege.
                if (state.startsWith("28") || state.equals("3D000") || state.equals("42501")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a failure is the database being out of reach (not answering, refusing connections, shutting down). */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (t instanceof SocketException || t instanceof SocketTimeoutException
                    || t instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    /** What went wrong, in one line, without a stack trace or a password. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    @Override
    public void close() {
        pool.close();
    }
}
