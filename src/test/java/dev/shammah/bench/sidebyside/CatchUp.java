package dev.shammah.bench.sidebyside;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The second opinion on catch-up lag: what an instance's own /metrics says ({@code shammah_store_catchup}). */
final class CatchUp {
    private CatchUp() {
    }

    static String fromMetrics(int port) {
        try {
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            double count = value(text, "shammah_store_catchup_seconds_count");
            double sum = value(text, "shammah_store_catchup_seconds_sum");
            double max = value(text, "shammah_store_catchup_seconds_max");
            if (count <= 0) {
                return "no exchanges applied from another instance";
            }
            return String.format(Locale.ROOT, "%.0f exchanges applied from the other instance: mean %.2f ms, p50 ≤ %s, "
                    + "p99 ≤ %s (histogram bucket bounds), max %.2f ms", count, sum / count * 1000,
                    bound(text, count, 0.5), bound(text, count, 0.99), max * 1000);
        } catch (Exception e) {
            return "unreadable: " + e;
        }
    }

    /** The upper bound of the histogram bucket holding quantile {@code q}. */
    private static String bound(String text, double count, double q) {
        Matcher m = Pattern.compile("(?m)^shammah_store_catchup_seconds_bucket\\{[^}]*le=\"([0-9.eE+-]+|\\+Inf)\"[^}]*} "
                + "([0-9.eE+-]+)$").matcher(text);
        java.util.TreeMap<Double, Double> buckets = new java.util.TreeMap<>();
        while (m.find()) {
            buckets.put(m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)),
                    Double.parseDouble(m.group(2)));
        }
        for (var e : buckets.entrySet()) {
            if (e.getValue() >= q * count) {
                return e.getKey().isInfinite() ? "more than 10 s" : String.format(Locale.ROOT, "%.1f ms",
                        e.getKey() * 1000);
            }
        }
        return "?";
    }

    private static double value(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(2)) : -1;
    }
}
