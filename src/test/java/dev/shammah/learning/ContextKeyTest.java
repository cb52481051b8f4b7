package dev.shammah.learning;

import java.util.List;

import dev.shammah.testsupport.JsonText;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * A lone user turn's context key is one constant, taken without hashing: it must be the key the hash gives, so that
 * exchanges stored under it are found whichever way a body says "no system prompt, no tools".
 */
class ContextKeyTest {
    static final JsonObject TURN = JsonText.parse("{\"role\":\"user\",\"content\":\"hi\"}");

    private static String key(String body) {
        return RoutePlanner.contextKey(List.of(TURN), JsonText.parse(body));
    }

    @Test
    void aLoneTurnHasTheHashedKeyWhicheverWayNothingIsSaid() {
        String plain = key("{\"model\":\"m\"}");
        assertThat("an empty tools list hashes to the same key", key("{\"tools\":[]}"), is(plain));
        assertThat("a null system prompt too", key("{\"system\":null}"), is(plain));
        assertThat(key("{\"system\":\"Be brief.\"}"), is(not(plain)));
        assertThat(key("{\"tools\":[{\"name\":\"lookup\"}]}"), is(not(plain)));
        assertThat("an earlier turn is context", RoutePlanner.contextKey(List.of(TURN, TURN),
                JsonText.parse("{}")), is(not(plain)));
    }
}
