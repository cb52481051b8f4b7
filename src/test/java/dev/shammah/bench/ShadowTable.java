package dev.shammah.bench;

import java.util.Locale;
import java.util.Map;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The bench's "Shadow agreement" section, read from the daemon's {@code /v1/training/status} after a replay:
 * how often a stored answer to the nearest stored prompt by meaning was the teacher's answer to new words, by
 * cosine bucket (guard-passed pairs only), and what the guard refused.
 */
final class ShadowTable {
    private ShadowTable() {
    }

    static String of(JsonObject status) {
        JsonObject r = status.getJsonObject("rewordings");
        if (r == null) {
            return "\nShadow agreement: the daemon reports no \"rewordings\" (learning off?).\n";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%nShadow agreement (forwarded requests with "
                + "a candidate: the nearest stored prompt of the same tenant and context at cosine >= 0.70 that is "
                + "not the same request; from /v1/training/status): candidates %d, guard refused %d, guard-passed "
                + "agreed %d, disagreed %d; refused that agreed all the same %d, refused that disagreed %d.%n%n",
                r.getJsonNumber("candidates").longValue(), r.getJsonNumber("guard_refused").longValue(),
                r.getJsonNumber("agreed").longValue(), r.getJsonNumber("disagreed").longValue(),
                r.getJsonNumber("refused_agreed").longValue(), r.getJsonNumber("refused_disagreed").longValue()));
        sb.append("| cosine (guard passed) | n | agreed | agreement rate |\n|---|---|---|---|\n");
        for (JsonValue v : r.getJsonArray("by_cosine")) {
            JsonObject b = v.asJsonObject();
            long n = b.getJsonNumber("n").longValue();
            long agreed = b.getJsonNumber("agreed").longValue();
            sb.append(String.format(Locale.ROOT, "| %.2f–%.2f | %d | %d | %s |%n", b.getJsonNumber("from").doubleValue(),
                    b.getJsonNumber("to").doubleValue(), n, agreed, KindTable.share(agreed, n)));
        }
        sb.append("\n| guard refused by | n | agreed all the same |\n|---|---|---|\n");
        for (Map.Entry<String, JsonValue> e : r.getJsonObject("refused_by_rule").entrySet()) {
            JsonObject c = e.getValue().asJsonObject();
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d |%n", e.getKey(), c.getJsonNumber("n").longValue(),
                    c.getJsonNumber("agreed").longValue()));
        }
        return sb.toString();
    }
}
