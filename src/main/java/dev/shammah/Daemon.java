package dev.shammah;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.shammah.cli.Exit;
import dev.shammah.cli.Invocation;
import dev.shammah.config.ConfigException;
import dev.shammah.config.ShammahConfig;
import dev.shammah.persist.DataDirOwner;
import io.helidon.webserver.WebServer;

/**
 * {@code shammah daemon}: owns the data dir, serves the API, says where in {@code data-dir/owner.json}, and on
 * SIGTERM (or SIGINT) drains — readiness goes 503, new API requests get 503, requests and streams in flight
 * finish — then saves state and exits 0.
 */
final class Daemon {
    private Daemon() {
    }

    static int run(ShammahConfig config, Invocation io) {
        DataDirOwner owner;
        switch (DataDirOwner.claim(config.dataDir(), "daemon")) {
            case DataDirOwner.Owned o -> owner = o.owner();
            case DataDirOwner.Taken t -> {
                io.err().println("shammah: data dir " + config.dataDir() + " is in use by "
                        + t.holder().map(DataDirOwner.Holder::describe).orElse("another shammah process")
                        + "; stop it first, or give this daemon another --data-dir");
                return Exit.IN_USE.code();
            }
        }
        // Helidon logs a 30-line trace and returns a server on port -1 when the port is taken: look first.
        if (!portFree(config)) {
            owner.close();
            io.err().println("shammah: cannot listen on " + config.server().bindAddress()
                    + ": the address is in use (another server on that port?); set server.bind-address or --bind");
            return Exit.CANNOT_LISTEN.code();
        }
        App app;
        WebServer server;
        try {
            app = App.create(config, Clock.systemUTC());
        } catch (ConfigException e) {
            owner.close();
            io.err().println("shammah: " + e.getMessage());
            return Exit.CONFIG.code();
        }
        try {
            server = WebServer.builder()
                    .update(app::configureServer)
                    // Our own handlers below stop the server and then the app, in that order.
                    .shutdownHook(false)
                    .build()
                    .start();
        } catch (ConfigException e) {
            app.close();
            owner.close();
            io.err().println("shammah: " + e.getMessage());
            return Exit.CONFIG.code();
        }
        if (!server.isRunning() || server.port() < 0) {
            server.stop();
            app.close();
            owner.close();
            io.err().println("shammah: cannot listen on " + config.server().bindAddress());
            return Exit.CANNOT_LISTEN.code();
        }
        String scheme = config.server().tls().enabled() ? "https" : "http";
        String host = config.server().host();
        String url = scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
        owner.announce(url);

        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                // Stop taking API requests, let those in flight (streams too) finish, then stop; closing the app
                // flushes the logs and saves evidence and model state.
                app.drain();
                server.stop();
                app.close();
                owner.close();
                stopped.countDown();
            }
        };
        // SIGTERM is how systemd (and docker, and kill) ask a service to stop: a clean stop is a success, 0,
        // not the JVM's 143. The shutdown hook covers any other way the JVM is told to exit.
        Signals.onTermination(() -> {
            stop.run();
            System.exit(0);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "shammah-shutdown"));
        io.out().println("Shammah " + Version.NUMBER + " listening on " + url + " (upstream "
                + config.upstream().baseUrl() + (config.upstream().hasApiKey() ? "" : ", no API key configured")
                + "; data " + config.dataDir() + (config.store().shared() ? "; shared store " + config.store().url()
                + (app.sharedStore().status().current() ? "" : ", out of reach: forwarding until it is back") : "")
                + ")");
        io.out().flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Whether the configured address can be bound now (port 0 always can). */
    private static boolean portFree(ShammahConfig config) {
        if (config.server().port() == 0) {
            return true;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(config.server().host(), config.server().port()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
