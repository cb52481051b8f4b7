package dev.shammah.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.shammah.text.Sha256;
import io.helidon.config.Config;

/**
 * {@code learning.tenants}: named groups of client keys that share what Shammah learns. A key in no group is a
 * tenant of its own. Keys are named the way the logs name them ({@code key_} + 12 hex digits, what
 * {@code shammah hash-key} and the audit log show), as {@code sha256:<hex>}, or (discouraged) in plain text.
 * <pre>
 * learning:
 *   tenants:
 *     - name: acme
 *       keys: ["key_1a2b3c4d5e6f", "sha256:…"]
 * </pre>
 */
public final class TenantGroups {
    private TenantGroups() {
    }

    /** {@code key_} + the first 12 hex digits of the key's SHA-256: stable, and not the key. */
    public static String keyId(String key) {
        return "key_" + Sha256.hex(key).substring(0, 12);
    }

    static Map<String, String> read(Config node) {
        Map<String, String> tenantOf = new HashMap<>();
        if (!node.exists()) {
            return tenantOf;
        }
        if (node.type() != Config.Type.LIST) {
            if (node.isLeaf() && node.asString().orElse("").isBlank()) {
                return tenantOf;
            }
            throw new ConfigException("Invalid configuration: learning.tenants must be a list of {name, keys}");
        }
        for (Config group : node.asNodeList().get()) {
            String name = group.get("name").asString().orElse("").trim();
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}") || name.startsWith("key_")
                    || name.startsWith("upstream-") || name.equals("default")) {
                throw new ConfigException("Invalid configuration: learning.tenants name '" + name + "' must be 1-64 "
                        + "letters, digits, '.', '_' or '-', and not 'default' or start with key_ or upstream-");
            }
            List<String> keys = group.get("keys").asList(String.class).orElse(List.of());
            if (keys.isEmpty()) {
                throw new ConfigException("Invalid configuration: learning.tenants '" + name + "' lists no keys");
            }
            for (String k : keys) {
                String id = id(k.trim(), name);
                String before = tenantOf.put(id, name);
                if (before != null && !before.equals(name)) {
                    throw new ConfigException("Invalid configuration: key " + id + " is in two learning.tenants groups ("
                            + before + ", " + name + ")");
                }
            }
        }
        return tenantOf;
    }

    private static String id(String key, String group) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.matches("key_[0-9a-f]{12}")) {
            return lower;
        }
        if (lower.startsWith("sha256:")) {
            String hex = lower.substring(7);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new ConfigException("Invalid configuration: a key of learning.tenants '" + group
                        + "' starts with sha256: but is not 64 hex digits");
            }
            return "key_" + hex.substring(0, 12);
        }
        if (key.isEmpty()) {
            throw new ConfigException("Invalid configuration: learning.tenants '" + group + "' has an empty key");
        }
        return keyId(key);
    }

}
