package dev.shammah.store;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** What a notification tells a follower: whose change, of which tables, and how far the change numbers had got. */
class AnnouncedTest {
    @Test
    void anotherInstancesChangesAreReadUpToTheNumberItAnnounced() {
        Announced a = Announced.parse("host:1:aa|x|41", "host:2:bb");
        assertThat(a.kinds(), is("x"));
        assertThat(a.upTo(), is(41L));
        Announced both = a.and(Announced.parse("host:1:aa|e|57", "host:2:bb"));
        assertThat(both.kinds(), is("xe"));
        assertThat("every change up to the newest announcement was announced", both.upTo(), is(57L));
    }

    @Test
    void ownChangesWakeNothingAndAnythingUnreadableIsReadWhole() {
        assertThat(Announced.parse("host:2:bb|x|41", "host:2:bb"), is(Announced.NONE));
        assertThat(Announced.parse("wake", "host:2:bb"), is(Announced.ALL));
        assertThat(Announced.parse("host:1:aa|x|not-a-number", "host:2:bb"), is(Announced.ALL));
        assertThat(Announced.ALL.kinds(), is(Changes.ALL));
        assertThat(Announced.ALL.upTo(), is(Long.MAX_VALUE));
    }
}
