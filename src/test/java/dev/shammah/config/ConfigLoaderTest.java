package dev.shammah.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Layering: flags → environment → --config → ~/.shammah/config.yaml → etc/shammah.yaml → defaults. */
class ConfigLoaderTest {
    @TempDir
    Path tmp;
    Path install;
    Path home;

    @BeforeEach
    void dirs() throws IOException {
        install = Files.createDirectories(tmp.resolve("install/etc")).getParent();
        home = Files.createDirectories(tmp.resolve("home/.shammah")).getParent();
    }

    private ShammahConfig load(Path explicit, Map<String, String> env, Map<String, String> flags) {
        return ConfigLoader.load(new ConfigInputs(install, home, explicit, env, flags));
    }

    @Test
    void builtInDefaultsApplyWhenNothingElseIsSet() {
        ShammahConfig c = load(null, Map.of(), Map.of());
        assertThat(c.server().host(), is("127.0.0.1"));
        assertThat(c.server().port(), is(8000));
        assertThat(c.server().maxSessions(), is(100));
        assertThat(c.server().sessionTimeout(), is(Duration.ofMinutes(30)));
        assertThat(c.server().authEnabled(), is(false));
        assertThat(c.server().apiKeys(), is(List.of()));
        assertThat(c.upstream().baseUrl().toString(), is("https://api.anthropic.com"));
        assertThat(c.upstream().hasApiKey(), is(false));
        assertThat(c.dataDir(), is(home.resolve(".shammah").toAbsolutePath().normalize()));
    }

    @Test
    void aMisspeltKeyStopsStartUpNamingTheKeyTheFileAndTheNearestKey() throws IOException {
        Path file = Files.writeString(tmp.resolve("typo.yaml"), """
                server:
                  max-sesions: 5
                """);
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> load(file, Map.of(), Map.of()));
        assertThat(e.getMessage(), containsString("Unknown configuration key 'server.max-sesions'"));
        assertThat(e.getMessage(), containsString(file.toString()));
        assertThat(e.getMessage(), containsString("did you mean server.max-sessions?"));
        Path far = Files.writeString(tmp.resolve("far.yaml"), """
                colour-scheme: dark
                """);
        e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> load(far, Map.of(), Map.of()));
        assertThat(e.getMessage(), is("Unknown configuration key 'colour-scheme' in " + far));
    }

    @Test
    void aYamlSyntaxErrorNamesItsFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("broken.yaml"), """
                server:
                  max-sessions: [5
                """);
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> load(file, Map.of(), Map.of()));
        assertThat(e.getMessage(), containsString(file.toString()));
    }

    @Test
    void aFileFromBeforeTheStudentWasRetiredStillLoadsAndLoraIsRead() throws IOException {
        Path file = Files.writeString(tmp.resolve("old.yaml"), """
                model:
                  device: auto
                  student:
                    enabled: true
                    dim: 64
                  lora:
                    enabled: true
                    rank: 4
                    targets: [q_proj, o_proj]
                training:
                  batch-size: 16
                """);
        ShammahConfig c = load(file, Map.of("SHAMMAH_MODEL_STUDENT_ENABLED", "true"), Map.of());
        assertThat(c.learning().gpu(), is(true));
        assertThat(c.learning().lora().enabled(), is(true));
        assertThat(c.learning().lora().rank(), is(4));
        assertThat(c.learning().lora().targets(), is(List.of("q_proj", "o_proj")));
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), """
                model:
                  lora:
                    targets: [mlp]
                """);
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> load(bad, Map.of(), Map.of()));
        assertThat(e.getMessage().contains("model.lora.targets"), is(true));
    }

    @Test
    void eachLayerOverridesTheOneBelow() throws IOException {
        Files.writeString(install.resolve("etc/shammah.yaml"), """
                server:
                  max-sessions: 10
                  session-timeout-minutes: 11
                  reaper-interval: 12s
                  bind-address: "0.0.0.0:1000"
                upstream:
                  timeout: 13s
                """);
        Files.writeString(home.resolve(".shammah/config.yaml"), """
                server:
                  session-timeout-minutes: 21
                  reaper-interval: 22s
                  bind-address: "0.0.0.0:2000"
                upstream:
                  timeout: 23s
                """);
        Path explicit = Files.writeString(tmp.resolve("explicit.yaml"), """
                server:
                  reaper-interval: 32s
                  bind-address: "0.0.0.0:3000"
                upstream:
                  timeout: 33s
                """);
        Map<String, String> env = Map.of("SHAMMAH_SERVER_BIND_ADDRESS", "0.0.0.0:4000",
                "SHAMMAH_UPSTREAM_TIMEOUT", "43s");
        Map<String, String> flags = Map.of("server.bind-address", "127.0.0.1:5000");

        ShammahConfig c = load(explicit, env, flags);
        assertThat(c.server().maxSessions(), is(10));                          // etc/shammah.yaml
        assertThat(c.server().sessionTimeout(), is(Duration.ofMinutes(21)));   // ~/.shammah/config.yaml
        assertThat(c.server().reaperInterval(), is(Duration.ofSeconds(32)));   // --config
        assertThat(c.upstream().timeout(), is(Duration.ofSeconds(43)));        // environment
        assertThat(c.server().bindAddress(), is("127.0.0.1:5000"));            // flag
    }

    @Test
    void anthropicApiKeyIsReadButShammahsOwnVariableWins() {
        assertThat(load(null, Map.of("ANTHROPIC_API_KEY", "sk-a"), Map.of()).upstream().apiKey(), is("sk-a"));
        assertThat(load(null, Map.of("ANTHROPIC_API_KEY", "sk-a", "SHAMMAH_UPSTREAM_API_KEY", "sk-b"), Map.of())
                .upstream().apiKey(), is("sk-b"));
    }

    @Test
    void anthropicBaseUrlIsIgnoredSoShammahNeverForwardsToItself() {
        ShammahConfig c = load(null, Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:8000"), Map.of());
        assertThat(c.upstream().baseUrl().toString(), is("https://api.anthropic.com"));
    }

    @Test
    void listsComeFromYamlOrACommaSeparatedVariable() throws IOException {
        Files.writeString(home.resolve(".shammah/config.yaml"), """
                server:
                  auth-enabled: true
                  api-keys: ["k1", "k2"]
                """);
        assertThat(load(null, Map.of(), Map.of()).server().apiKeys(), is(List.of("k1", "k2")));
        assertThat(load(null, Map.of("SHAMMAH_SERVER_API_KEYS", "a, b ,c"), Map.of()).server().apiKeys(),
                is(List.of("a", "b", "c")));
    }

    @Test
    void invalidValuesFailWithAMessageNamingTheKey() {
        Map<String, String> cases = new HashMap<>();
        cases.put("server.max-sessions", "lots");
        cases.put("server.bind-address", "8000");
        cases.put("upstream.base-url", "ftp://x");
        cases.put("upstream.timeout", "soon");
        cases.put("server.auth-enabled", "maybe");
        cases.put("server.session-timeout-minutes", "0");
        cases.forEach((key, value) -> {
            ConfigException e = assertThrows(ConfigException.class, () -> load(null, Map.of(), Map.of(key, value)));
            assertThat(e.getMessage(), containsString(key));
            assertThat(e.getMessage(), containsString(value));
        });
    }

    @Test
    void authWithoutKeysIsRejected() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(null, Map.of(), Map.of("server.auth-enabled", "true")));
        assertThat(e.getMessage(), containsString("server.api-keys"));
    }

    @Test
    void aMissingExplicitFileIsAnError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(tmp.resolve("nope.yaml"), Map.of(), Map.of()));
        assertThat(e.getMessage(), containsString("nope.yaml"));
    }

    @Test
    void malformedYamlIsAnError() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "server: [unclosed\n  bind: :\n");
        assertThrows(ConfigException.class, () -> load(bad, Map.of(), Map.of()));
    }

    @Test
    void theShippedEtcFileIsValidAndMatchesTheDefaults() {
        // The repository's own etc/shammah.yaml (tests run from the project root).
        ShammahConfig shipped = ConfigLoader.load(new ConfigInputs(Path.of("."), home, null, Map.of(), Map.of()));
        ShammahConfig defaults = load(null, Map.of(), Map.of());
        assertThat(shipped, is(defaults));
    }

    @Test
    void learningBoundsAndTenantGroupsAreReadAndChecked() throws IOException {
        ShammahConfig defaults = load(null, Map.of(), Map.of());
        assertThat(defaults.learning().maxWrongRate(), is(0.001));
        assertThat(defaults.learning().verifyRate(), is(0.05));
        assertThat(defaults.learning().tenantOf(), is(Map.of()));
        Path file = Files.writeString(tmp.resolve("tenants.yaml"), """
                learning:
                  tenants:
                    - name: acme
                      keys: ["key_0123456789ab", "sha256:%s", "plain-key"]
                """.formatted("ab".repeat(32)));
        Map<String, String> groups = load(file, Map.of(), Map.of()).learning().tenantOf();
        assertThat(groups.get("key_0123456789ab"), is("acme"));
        assertThat(groups.get("key_abababababab"), is("acme"));
        assertThat(groups.get(TenantGroups.keyId("plain-key")), is("acme"));

        Path twice = Files.writeString(tmp.resolve("twice.yaml"), """
                learning:
                  tenants:
                    - {name: a, keys: ["key_0123456789ab"]}
                    - {name: b, keys: ["key_0123456789ab"]}
                """);
        assertThat(assertThrows(ConfigException.class, () -> load(twice, Map.of(), Map.of())).getMessage(),
                containsString("two learning.tenants groups"));
        Path reserved = Files.writeString(tmp.resolve("reserved.yaml"), """
                learning:
                  tenants:
                    - {name: default, keys: ["key_0123456789ab"]}
                """);
        assertThrows(ConfigException.class, () -> load(reserved, Map.of(), Map.of()));
        assertThat(assertThrows(ConfigException.class, () -> load(null, Map.of(),
                Map.of("learning.max-wrong-rate", "0"))).getMessage(), containsString("learning.enabled: false"));
    }

    @Test
    void budgetsPerGroupAndByDefault() throws IOException {
        ShammahConfig defaults = load(null, Map.of(), Map.of());
        assertThat(defaults.usage().keepDays(), is(90));
        assertThat("no budget unless one is set", defaults.usage().budgets().of("default"), is((Budget) null));
        Path file = Files.writeString(tmp.resolve("budgets.yaml"), """
                learning:
                  tenants:
                    - {name: acme, keys: ["key_0123456789ab"], budget: {dollars: 50, period: month}}
                    - {name: lab, keys: ["key_ba9876543210"]}
                usage:
                  default-budget: {dollars: 2.5, period: day}
                  budget-warn-at: 0.9
                """);
        BudgetSettings b = load(file, Map.of(), Map.of()).usage().budgets();
        assertThat(b.of("acme"), is(new Budget(50, Budget.Period.MONTH)));
        assertThat("a group without its own budget has the default", b.of("lab"), is(new Budget(2.5, Budget.Period.DAY)));
        assertThat(b.of("key_aaaaaaaaaaaa"), is(new Budget(2.5, Budget.Period.DAY)));
        assertThat(b.warnAt(), is(0.9));
        Path bad = Files.writeString(tmp.resolve("badbudget.yaml"), """
                usage:
                  default-budget: {dollars: 5, period: year}
                """);
        assertThat(assertThrows(ConfigException.class, () -> load(bad, Map.of(), Map.of())).getMessage(),
                containsString("must be day, week or month"));
        assertThat(assertThrows(ConfigException.class, () -> load(null, Map.of(),
                Map.of("usage.default-budget.dollars", "lots"))).getMessage(), containsString("must be a number"));
    }

    @Test
    void theStoreIsEmbeddedByDefaultAndPostgresNeedsAJdbcUrl() throws IOException {
        assertThat(load(null, Map.of(), Map.of()).store().kind(), is(StoreSettings.Kind.EMBEDDED));
        assertThat(load(null, Map.of(), Map.of()).store().shared(), is(false));

        Path file = Files.writeString(tmp.resolve("pg.yaml"), """
                store:
                  kind: postgres
                  url: jdbc:postgresql://127.0.0.1:5432/shammah
                  user: shammah
                  pool-size: 4
                  poll-interval: 250ms
                """);
        StoreSettings s = load(file, Map.of("SHAMMAH_STORE_PASSWORD", "s3cret"), Map.of()).store();
        assertThat(s.kind(), is(StoreSettings.Kind.POSTGRES));
        assertThat(s.url(), is("jdbc:postgresql://127.0.0.1:5432/shammah"));
        assertThat(s.user(), is("shammah"));
        assertThat("the password comes from the environment", s.password(), is("s3cret"));
        assertThat(s.poolSize(), is(4));
        assertThat(s.pollInterval(), is(Duration.ofMillis(250)));
        assertThat("settings never print the password", s.toString().contains("s3cret"), is(false));

        for (Map<String, String> bad : List.of(Map.of("store.kind", "mysql"),
                Map.of("store.kind", "postgres"),
                Map.of("store.kind", "postgres", "store.url", "postgresql://127.0.0.1/shammah"),
                Map.of("store.kind", "postgres", "store.url", "jdbc:postgresql://h/db", "store.pool-size", "1"),
                Map.of("store.kind", "postgres", "store.url", "jdbc:postgresql://h/db", "store.poll-interval", "0s"))) {
            ConfigException e = assertThrows(ConfigException.class, () -> load(null, Map.of(), bad));
            assertThat(e.getMessage(), containsString("store."));
        }
    }

    @Test
    void theStorePasswordCanComeFromAFileButNotFromTwoPlaces() throws IOException {
        Path secret = Files.writeString(tmp.resolve("pw"), "from-a-file\n");
        Map<String, String> flags = new HashMap<>(Map.of("store.kind", "postgres", "store.url", "jdbc:postgresql://h/db",
                "store.password-file", secret.toString()));
        assertThat(load(null, Map.of(), flags).store().password(), is("from-a-file"));
        ConfigException both = assertThrows(ConfigException.class,
                () -> load(null, Map.of("SHAMMAH_STORE_PASSWORD", "x"), flags));
        assertThat(both.getMessage(), containsString("not both"));
        flags.put("store.password-file", tmp.resolve("missing").toString());
        ConfigException missing = assertThrows(ConfigException.class, () -> load(null, Map.of(), flags));
        assertThat(missing.getMessage(), containsString("store.password-file"));
    }
}
