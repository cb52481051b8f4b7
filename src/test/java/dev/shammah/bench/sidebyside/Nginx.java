package dev.shammah.bench.sidebyside;

import java.nio.file.Path;
import java.util.List;

/**
 * nginx run out of a folder of its own, without root: pid file, temp paths and error log all under its prefix, in
 * the foreground so that the bench owns the process. Used for the fake upstream and for the reverse-proxy floor.
 */
final class Nginx {
    private Nginx() {
    }

    /** The command line; {@code -e} keeps nginx from opening a system error log before it reads the config. */
    static List<String> command(Path binary, Path prefix, Path conf) {
        return List.of(binary.toString(), "-p", prefix.toString(), "-c", conf.toString(), "-e",
                prefix.resolve("error.log").toString(), "-g", "daemon off;");
    }

    /** The pool of kept-alive connections to the fake, named {@code fake}, as both proxies use it. */
    static String upstream(int upstreamPort) {
        return """
                  upstream fake {
                    server 127.0.0.1:%d;
                    keepalive 64;
                    keepalive_requests 10000000;
                  }
                """.formatted(upstreamPort);
    }

    /** Everything before the server blocks; close the returned text's {@code http} block with "}". */
    static String prelude(Path prefix, String workers) {
        Path tmp = prefix.resolve("tmp");
        return """
                worker_processes %s;
                pid %s;
                error_log %s warn;
                events { worker_connections 8192; }
                http {
                  access_log off;
                  client_body_temp_path %s/body;
                  proxy_temp_path %s/proxy;
                  fastcgi_temp_path %s/fastcgi;
                  uwsgi_temp_path %s/uwsgi;
                  scgi_temp_path %s/scgi;
                  # wrk keeps its connections for the whole run: the default (1000 requests) would close them mid-run.
                  keepalive_requests 10000000;
                """.formatted(workers, prefix.resolve("nginx.pid"), prefix.resolve("error.log"), tmp, tmp, tmp, tmp,
                tmp);
    }
}
