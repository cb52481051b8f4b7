package dev.shammah.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

import dev.shammah.config.ConfigException;
import dev.shammah.config.ServerSettings;
import dev.shammah.config.TenantGroups;
import dev.shammah.text.Sha256;

/**
 * The keys clients and admins authenticate with, held only as SHA-256 digests. Configured as
 * {@code sha256:<hex>} (what {@code shammah hash-key} prints) or, discouraged, as plain keys, which are hashed
 * at start-up and warned about. Comparison is constant-time over every known digest.
 */
public final class ApiKeys {
    private static final Logger LOG = Logger.getLogger(ApiKeys.class.getName());
    private static final String PREFIX = "sha256:";

    private final List<byte[]> clients;
    private final List<byte[]> admins;

    /**
     * The keys {@code server} configures.
     *
     * @throws ConfigException when the key file cannot be read (exit 78, before anything listens)
     */
    public static ApiKeys of(ServerSettings server) {
        try {
            return new ApiKeys(server.apiKeys(), server.apiKeysFile(), server.adminKeys());
        } catch (UncheckedIOException e) {
            throw new ConfigException("Invalid configuration: cannot read server.api-keys-file "
                    + server.apiKeysFile() + " (" + e.getCause().getMessage() + ")", e);
        }
    }

    public ApiKeys(List<String> clientKeys, Path clientKeyFile, List<String> adminKeys) {
        List<String> all = new ArrayList<>(clientKeys);
        if (clientKeyFile != null) {
            try {
                for (String line : Files.readAllLines(clientKeyFile)) {
                    String t = line.strip();
                    if (!t.isEmpty() && !t.startsWith("#")) {
                        all.add(t);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read server.api-keys-file " + clientKeyFile, e);
            }
        }
        this.clients = digests(all, "server.api-keys");
        this.admins = digests(adminKeys, "server.admin-keys");
    }

    private static List<byte[]> digests(List<String> keys, String where) {
        List<byte[]> out = new ArrayList<>();
        int plain = 0;
        for (String k : keys) {
            if (k.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
                String hex = k.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
                if (!hex.matches("[0-9a-f]{64}")) {
                    throw new ConfigException("Invalid configuration: an entry of " + where
                            + " starts with sha256: but is not 64 hex digits");
                }
                out.add(HexFormat.of().parseHex(hex));
            } else {
                plain++;
                out.add(digest(k));
            }
        }
        if (plain > 0) {
            // Never the key itself: only that plain keys are configured.
            LOG.warning(plain + " key(s) in " + where + " are stored in plain text; replace them with the "
                    + "output of `shammah hash-key`");
        }
        return List.copyOf(out);
    }

    static byte[] digest(String key) {
        return HexFormat.of().parseHex(Sha256.hex(key));
    }

    /** {@code sha256:<hex>} for a key: what goes into the config. */
    public static String hashed(String key) {
        return PREFIX + Sha256.hex(key);
    }

    /** A stable, non-secret name for a key in logs and the audit trail. */
    public static String keyId(String key) {
        return TenantGroups.keyId(key);
    }

    public boolean isClient(String key) {
        return matches(clients, key) || matches(admins, key);
    }

    public boolean isAdmin(String key) {
        return matches(admins, key);
    }

    private static boolean matches(List<byte[]> known, String key) {
        byte[] presented = digest(key);
        boolean match = false;
        for (byte[] k : known) {
            // No early exit: the time taken must not reveal which key (if any) was close.
            match |= MessageDigest.isEqual(k, presented);
        }
        return match;
    }
}
