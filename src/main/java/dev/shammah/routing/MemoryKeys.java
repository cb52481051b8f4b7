package dev.shammah.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import dev.shammah.local.TeacherMemory;

/**
 * The exact keys a stored exchange is found by. Every key starts from the tenant and the context, so no lookup
 * can ever return another tenant's exchange or one from another conversation.
 */
public final class MemoryKeys {
    private MemoryKeys() {
    }

    public static TeacherMemory.Keys of(String tenant, String contextKey, PromptForm form) {
        return new TeacherMemory.Keys(scope(tenant, contextKey), shape(tenant, contextKey, form),
                core(tenant, contextKey, form.core()));
    }

    public static String scope(String tenant, String contextKey) {
        return sha256(tenant + '\u0000' + contextKey);
    }

    public static String shape(String tenant, String contextKey, PromptForm form) {
        return sha256(scope(tenant, contextKey) + "\u0000shape\u0000" + form.text());
    }

    public static String core(String tenant, String contextKey, List<String> core) {
        return sha256(scope(tenant, contextKey) + "\u0000core\u0000" + PromptForm.join(core));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
