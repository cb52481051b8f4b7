package dev.shammah.routing;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class EvidenceStoreTest {
    @TempDir
    Path data;

    @Test
    void evidenceRoundTripsPerTenant() {
        EvidenceStore store = new EvidenceStore(data);
        Evidence e = new Evidence();
        e.recordKind("a", "pre:hi", true);
        e.recordKind("a", "pre:hi", false);
        e.recordExchange("a", "x1", true);
        e.block("a", "shape1");
        e.recordStability("a", true, 1.0);
        e.recordStability("b", false, 0.25);
        store.save(e);
        Evidence back = store.load();
        assertThat(back.tenant("a").kind("pre:hi"), is(new Evidence.Counts(1, 1)));
        assertThat(back.tenant("a").exchange("x1").passes(), is(1L));
        assertThat(back.tenant("a").blocked("shape1"), is(true));
        assertThat(back.tenant("b").blocked("shape1"), is(false));
        assertThat(back.tenant("b").stability(), is(new Evidence.Counts(0, 1)));
        assertThat(back.tenant("b").agreement(), is(java.util.List.of(0.25)));
    }

    /** Rewording records are kept apart from what the router reads, saved, and go with a forgotten exchange. */
    @Test
    void rewordingRecordsRoundTripStayApartAndGoWithTheirExchange() throws Exception {
        EvidenceStore store = new EvidenceStore(data);
        Evidence e = new Evidence();
        e.recordRewording("a", "passed:0.90", true);
        e.recordRewording("a", Evidence.rewordingEntry("x1"), false);
        store.save(e);
        Evidence back = store.load();
        assertThat(back.tenant("a").rewordings().get("passed:0.90"), is(new Evidence.Counts(1, 0)));
        assertThat(back.counts("a", Evidence.rewordingSubject(Evidence.rewordingEntry("x1"))),
                is(new Evidence.Counts(0, 1)));
        assertThat("the router's records are untouched", back.tenant("a").kinds().isEmpty()
                && back.tenant("a").exchange("x1").total() == 0, is(true));
        back.forgetExchanges("a", java.util.List.of("x1"));
        assertThat(back.tenant("a").rewordings().keySet(), is(java.util.Set.of("passed:0.90")));
        // A file from before rewordings were observed still loads.
        Path file = data.resolve("evidence.json");
        Files.writeString(file, Files.readString(file).replaceAll(",\"rewordings\":\\{[^}]*\\}", ""));
        assertThat(Files.readString(file).contains("rewordings"), is(false));
        assertThat(new EvidenceStore(data).load().tenantNames(), is(java.util.Set.of("a")));
    }

    @Test
    void anUnreadableFileMeansNoEvidenceNotAFailedStart() throws Exception {
        Files.writeString(data.resolve("evidence.json"), "{not json");
        assertThat(new EvidenceStore(data).load().tenantNames().isEmpty(), is(true));
    }
}
