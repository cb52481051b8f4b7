package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * nginx with {@code proxy_cache} in front of the fake, keyed by the request body: the floor for a stored answer —
 * what answering from a cache costs on this machine. Measured on repeated prompts; every measured answer must say
 * {@code x-cache: HIT}. The cache needs buffered responses, so unlike the plain proxy it buffers (a whole stream is
 * stored and replayed at once).
 */
final class NginxCachePeer implements Peer {
    private final Path binary;
    private final Map<String, String> env;
    private final String version;

    NginxCachePeer(Path binary, Map<String, String> env, String version) {
        this.binary = binary;
        this.env = env;
        this.version = version;
    }

    @Override
    public String name() {
        return "nginx-cache";
    }

    @Override
    public Launch launch(int port, int upstreamPort, Path dir) throws IOException {
        Files.createDirectories(dir.resolve("tmp"));
        Path cache = Files.createDirectories(dir.resolve("cache"));
        // nginx's workers run as nobody when started as root: they must be able to reach the cache folder.
        for (Path p = cache; p != null && p.startsWith(dir.getParent().getParent()); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
        }
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, Nginx.prelude(dir, "auto") + Nginx.upstream(upstreamPort) + """
                  proxy_cache_path %s levels=1:2 keys_zone=answers:10m max_size=100m inactive=1h use_temp_path=off;
                  server {
                    listen 127.0.0.1:%d;
                    client_body_buffer_size 64k;
                    location / {
                      proxy_pass http://fake;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_cache answers;
                      proxy_cache_methods POST;
                      proxy_cache_key "$request_uri|$request_body";
                      proxy_cache_valid 200 1h;
                      add_header x-cache $upstream_cache_status always;
                    }
                  }
                }
                """.formatted(cache, port));
        return new Launch(Nginx.command(binary, dir, conf), env);
    }

    @Override
    public boolean repeats() {
        return true;
    }

    @Override
    public String[] expected() {
        return new String[] {"x-cache", "HIT"};
    }

    @Override
    public String version() {
        return version;
    }
}
