package dev.shammah.testsupport;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.shammah.api.ApiKeys;

/**
 * The configuration most tests of tenants and admin routes start from: auth on, some client keys and one admin
 * key (stored hashed, as an operator would), learning on with no verification unless {@code extra} says otherwise.
 */
public final class SecuredConfig {
    private SecuredConfig() {
    }

    public static Map<String, String> of(Map<String, String> extra, String adminKey, String... clientKeys) {
        Map<String, String> config = new HashMap<>(extra);
        config.putIfAbsent("learning.enabled", "true");
        config.putIfAbsent("learning.verify-rate", "0");
        config.put("server.auth-enabled", "true");
        config.put("server.api-keys", Stream.of(clientKeys).map(ApiKeys::hashed).collect(Collectors.joining(",")));
        if (adminKey != null) {
            config.put("server.admin-keys", ApiKeys.hashed(adminKey));
        }
        return config;
    }
}
