package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shammah instances in front of the fake upstream, each a daemon from the jar with learning on: with the shared
 * store ({@code store.kind: postgres}) when given a database, else with the embedded one. Behind nginx when there
 * is more than one, or when asked: what a team that outgrows one instance runs.
 */
final class ClusterPeer {
    private ClusterPeer() {
    }

    /** One daemon: listening on {@code port}, its data in {@code dir}, sharing {@code storeUrl} when not null. */
    static Peer.Launch daemon(Path jar, String version, int port, int upstreamPort, Path dir, String storeUrl)
            throws IOException {
        Peer.Launch plain = new ShammahPeer("shammah-on", true, true, jar, version).launch(port, upstreamPort, dir);
        Map<String, String> env = new HashMap<>(plain.env());
        if (storeUrl != null) {
            env.put("SHAMMAH_STORE_KIND", "postgres");
            env.put("SHAMMAH_STORE_URL", storeUrl);
            env.put("SHAMMAH_STORE_USER", "postgres");
        }
        // Each daemon's heap and threads as in the single-instance bench.
        return new Peer.Launch(plain.command(), env);
    }

    /** nginx on {@code port}, round robin over {@code backends}, as etc/shammah-nginx.conf configures it. */
    static Peer.Launch balancer(Path nginx, Map<String, String> env, int port, List<Integer> backends, Path dir)
            throws IOException {
        java.nio.file.Files.createDirectories(dir.resolve("tmp"));
        StringBuilder servers = new StringBuilder();
        for (int b : backends) {
            servers.append("    server 127.0.0.1:").append(b).append(";\n");
        }
        Path conf = dir.resolve("nginx.conf");
        java.nio.file.Files.writeString(conf, Nginx.prelude(dir, "auto") + """
                  upstream shammah {
                %s    keepalive 64;
                    keepalive_requests 10000000;
                  }
                  server {
                    listen 127.0.0.1:%d;
                    location / {
                      proxy_pass http://shammah;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_set_header Host $http_host;
                      proxy_buffering off;
                      proxy_request_buffering off;
                      proxy_read_timeout 600s;
                    }
                  }
                }
                """.formatted(servers, port));
        return new Peer.Launch(Nginx.command(nginx, dir, conf), env);
    }
}
