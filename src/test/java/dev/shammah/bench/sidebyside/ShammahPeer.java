package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.shammah.local.OnnxNative;

/**
 * The Shammah daemon from {@code target/shammah.jar}, as shipped except for the upstream and, for
 * {@code shammah-off}, learning; {@code shammah-on-no-rewordings} is learning on without the shadow observation of
 * rewordings ({@code learning.observe-rewordings: false}), to measure what that observation costs a forward;
 * {@code shammah-on-watched} is shammah-on measured while someone watches its page ({@link PageWatcher});
 * {@code shammah-on-openai} is shammah-on asked in OpenAI's format, to measure what the translation adds;
 * {@code shammah-local} is shammah-on measured on prompts it has learned (every answer local), and
 * {@code shammah-local-10k} the same with {@value #LARGE_STORE} exchanges of 100 tenants learned first (each client
 * key its own tenant: {@code upstream.forward-client-key}), so that the store's size shows. HOME
 * is a folder of its own so that the user's {@code ~/.shammah/config.yaml} cannot change what is measured; the caches of native libraries (DJL's libtorch, ONNX Runtime) stay the user's,
 * so a run does not extract hundreds of MB again.
 */
final class ShammahPeer implements Peer {
    static final String UPSTREAM_KEY = "sk-bench-upstream";

    private final String name;
    private final boolean learning;
    private final boolean observeRewordings;
    private final Path jar;
    private final String version;

    ShammahPeer(String name, boolean learning, boolean observeRewordings, Path jar, String version) {
        this.name = name;
        this.learning = learning;
        this.observeRewordings = observeRewordings;
        this.jar = jar;
        this.version = version;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Launch launch(int port, int upstreamPort, Path dir) throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path data = Files.createDirectories(dir.resolve("data"));
        String realHome = System.getenv().getOrDefault("HOME", System.getProperty("user.home"));
        String djlCache = System.getenv().getOrDefault("DJL_CACHE_DIR", realHome + "/.djl.ai");
        return new Launch(List.of(System.getProperty("java.home") + "/bin/java", "--enable-native-access=ALL-UNNAMED",
                "-Dai.djl.offline=true", "-jar", jar.toString(), "daemon", "--bind", "127.0.0.1:" + port,
                "--data-dir", data.toString()),
                Map.of("HOME", home.toString(),
                        "DJL_CACHE_DIR", djlCache,
                        "SHAMMAH_CACHE_DIR", OnnxNative.cacheDir().toString(),
                        "SHAMMAH_UPSTREAM_BASE_URL", "http://127.0.0.1:" + upstreamPort,
                        "SHAMMAH_UPSTREAM_API_KEY", UPSTREAM_KEY,
                        "SHAMMAH_LEARNING_ENABLED", Boolean.toString(learning),
                        "SHAMMAH_LEARNING_OBSERVE_REWORDINGS", Boolean.toString(observeRewordings),
                        "SHAMMAH_UPSTREAM_FORWARD_CLIENT_KEY", Boolean.toString(storeSize() > 0)));
    }

    /** The exchanges {@code shammah-local-10k} learns before it is measured. */
    static final int LARGE_STORE = 10_000;

    @Override
    public boolean repeats() {
        return name.startsWith("shammah-local");
    }

    @Override
    public String[] expected() {
        return repeats() ? new String[] {"x-shammah-route", "local"} : null;
    }

    @Override
    public int storeSize() {
        return name.equals("shammah-local-10k") ? LARGE_STORE : 0;
    }

    @Override
    public boolean openAi() {
        return name.equals("shammah-on-openai");
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public boolean jvm() {
        return true;
    }
}
