package dev.shammah.bench.sidebyside;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Someone watching {@code /dashboard} while the serving path is measured ({@code shammah-on-watched}): every
 * {@link #INTERVAL} it makes the requests the page makes on each refresh — the page itself once, then
 * {@code /admin/usage}, {@code /metrics}, {@code /health}, {@code /v1/models}, {@code /admin/checkpoints},
 * {@code /admin/tenants} and each tenant's training status. The page refreshes every 5 s; once a second is five
 * people watching. Auth is off in the bench (loopback), as for the page on a developer's machine.
 */
final class PageWatcher implements AutoCloseable {
    /** How often the page's refresh is made. */
    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Pattern TENANT = Pattern.compile("\"tenant\":\"([^\"]+)\"");
    private static final List<String> EACH_REFRESH = List.of("/admin/usage", "/metrics", "/health",
            "/v1/models?limit=1000", "/admin/checkpoints", "/admin/tenants");

    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;
    private final Thread thread;
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean stop;

    PageWatcher(int port) {
        this.base = "http://127.0.0.1:" + port;
        get("/dashboard");
        this.thread = Thread.ofPlatform().name("bench-page-watcher").daemon().start(this::run);
    }

    private void run() {
        while (!stop) {
            String usage = null;
            for (String path : EACH_REFRESH) {
                String body = get(path);
                if (path.equals("/admin/usage")) {
                    usage = body;
                }
            }
            if (usage != null) {
                Matcher m = TENANT.matcher(usage);
                java.util.Set<String> tenants = new java.util.TreeSet<>();
                while (m.find()) {
                    tenants.add(m.group(1));
                }
                tenants.forEach(t -> get("/admin/tenants/" + t + "/training"));
            }
            refreshes.incrementAndGet();
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * The body, or null when there is none to read. A 5xx or no answer at all is counted as a failure; a 404 is an
     * answer (the page asks for {@code /admin/checkpoints}, which a daemon without a model of the user's has not).
     */
    private String get(String path) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 500) {
                failures.incrementAndGet();
            }
            if (r.statusCode() != 200) {
                return null;
            }
            return r.body();
        } catch (Exception e) {
            failures.incrementAndGet();
            return null;
        }
    }

    /** Refreshes made, and requests of theirs that failed, for the report. */
    String summary() {
        return refreshes.get() + " page refreshes, " + failures.get() + " requests failed (5xx or no answer)";
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
