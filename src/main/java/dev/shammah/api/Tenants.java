package dev.shammah.api;

import java.util.Map;

import dev.shammah.engine.Turn;

/**
 * Whose learning a request uses and feeds. With auth on: the client key's group in {@code learning.tenants}, else
 * the key itself. With auth off there is one tenant ({@code default}) — unless {@code upstream.forward-client-key}
 * is on, when each client's own upstream key is its own tenant: people who bring their own Anthropic key must
 * not receive each other's answers.
 */
final class Tenants {
    private final Map<String, String> groupOf;
    private final boolean forwardClientKey;

    Tenants(Map<String, String> groupOf, boolean forwardClientKey) {
        this.groupOf = Map.copyOf(groupOf);
        this.forwardClientKey = forwardClientKey;
    }

    /** The tenant of an authenticated key. */
    String ofKey(String keyId) {
        return groupOf.getOrDefault(keyId, keyId);
    }

    /** The tenant of a request with auth off; {@code presentedKey} is the key it sent, if any. */
    String unauthenticated(String presentedKey) {
        if (forwardClientKey && presentedKey != null) {
            return "upstream-" + ApiKeys.keyId(presentedKey);
        }
        return Turn.LOCAL_TENANT;
    }
}
