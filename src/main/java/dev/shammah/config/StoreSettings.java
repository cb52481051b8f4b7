package dev.shammah.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Where learning, evidence and sessions are kept ({@code store.*}): in this process and its data dir
 * ({@code embedded}, the default: one machine, nothing else to run), or in PostgreSQL ({@code postgres}), shared by
 * every instance pointed at the same database (docs/SCALING.md).
 *
 * @param kind         embedded or postgres
 * @param url          JDBC URL of the database ({@code jdbc:postgresql://host:5432/shammah}); null when embedded
 * @param user         database user; empty for the driver's default
 * @param password     database password: {@code store.password}, {@code SHAMMAH_STORE_PASSWORD} or the first line
 *                     of {@code store.password-file}; empty for none
 * @param poolSize     most connections this instance holds
 * @param pollInterval longest an instance goes without looking for what other instances wrote, should a
 *                     notification be missed
 * @param outageWait   longest a turn of a shared session waits for an unreachable database before it is refused
 *                     (503), rather than answered from a history that may be stale
 */
public record StoreSettings(Kind kind, String url, String user, String password, int poolSize, Duration pollInterval,
                            Duration outageWait) {
    /** The two kinds of store. */
    public enum Kind {
        EMBEDDED, POSTGRES
    }

    public static final StoreSettings EMBEDDED = new StoreSettings(Kind.EMBEDDED, null, "", "", 1,
            Duration.ofSeconds(1), Duration.ofSeconds(5));

    public boolean shared() {
        return kind == Kind.POSTGRES;
    }

    /** Never the password: settings end up in logs and test reports. */
    @Override
    public String toString() {
        return "StoreSettings[kind=" + kind + ", url=" + url + ", user=" + user + ", password="
                + (password.isEmpty() ? "none" : "set") + ", poolSize=" + poolSize + ", pollInterval=" + pollInterval
                + ", outageWait=" + outageWait + "]";
    }

    static StoreSettings read(ConfigReader r, Path userHome) {
        String kind = r.string(ConfigKeys.STORE_KIND).trim().toLowerCase(Locale.ROOT);
        if (kind.equals("embedded")) {
            return EMBEDDED;
        }
        if (!kind.equals("postgres")) {
            throw new ConfigException("Invalid configuration: " + ConfigKeys.STORE_KIND + " must be embedded or "
                    + "postgres (got '" + kind + "')");
        }
        String url = r.string(ConfigKeys.STORE_URL).trim();
        if (!url.startsWith("jdbc:postgresql:") || url.length() == "jdbc:postgresql:".length()) {
            throw new ConfigException("Invalid configuration: " + ConfigKeys.STORE_URL + " must be a PostgreSQL JDBC "
                    + "URL such as jdbc:postgresql://127.0.0.1:5432/shammah when " + ConfigKeys.STORE_KIND
                    + " is postgres (got '" + url + "')");
        }
        return new StoreSettings(Kind.POSTGRES, url, r.string(ConfigKeys.STORE_USER).trim(), password(r, userHome),
                r.integer(ConfigKeys.STORE_POOL_SIZE, 2, 1000),
                positive(ConfigKeys.STORE_POLL_INTERVAL, r.duration(ConfigKeys.STORE_POLL_INTERVAL)),
                r.duration(ConfigKeys.STORE_OUTAGE_WAIT));
    }

    /** {@code store.password} (or its environment variable), else the first line of {@code store.password-file}. */
    private static String password(ConfigReader r, Path userHome) {
        String password = r.string(ConfigKeys.STORE_PASSWORD);
        String file = r.string(ConfigKeys.STORE_PASSWORD_FILE).trim();
        if (file.isEmpty()) {
            return password;
        }
        if (!password.isEmpty()) {
            throw new ConfigException("Invalid configuration: set " + ConfigKeys.STORE_PASSWORD + " or "
                    + ConfigKeys.STORE_PASSWORD_FILE + ", not both");
        }
        Path p = file.equals("~") || file.startsWith("~/") ? userHome.resolve(file.substring(Math.min(2, file.length())))
                : Path.of(file);
        try {
            return Files.readAllLines(p).stream().findFirst().orElse("").strip();
        } catch (IOException e) {
            throw new ConfigException("Invalid configuration: cannot read " + ConfigKeys.STORE_PASSWORD_FILE + " "
                    + p + " (" + e.getMessage() + ")", e);
        }
    }

    private static Duration positive(String key, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException("Invalid configuration: " + key + " must be longer than zero (got " + d + ")");
        }
        return d;
    }
}
