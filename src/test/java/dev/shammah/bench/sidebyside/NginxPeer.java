package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * nginx as a plain reverse proxy to the fake: the floor, what forwarding alone costs on this machine. Tuned as a
 * proxy usually is: HTTP/1.1 and kept-alive connections upstream, no response buffering (events pass at once).
 */
final class NginxPeer implements Peer {
    private final Path binary;
    private final Map<String, String> env;
    private final String version;

    NginxPeer(Path binary, Map<String, String> env, String version) {
        this.binary = binary;
        this.env = env;
        this.version = version;
    }

    @Override
    public String name() {
        return "nginx";
    }

    @Override
    public Launch launch(int port, int upstreamPort, Path dir) throws IOException {
        Files.createDirectories(dir.resolve("tmp"));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, Nginx.prelude(dir, "auto") + Nginx.upstream(upstreamPort) + """
                  server {
                    listen 127.0.0.1:%d;
                    location / {
                      proxy_pass http://fake;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_buffering off;
                    }
                  }
                }
                """.formatted(port));
        return new Launch(Nginx.command(binary, dir, conf), env);
    }

    @Override
    public String version() {
        return version;
    }
}
