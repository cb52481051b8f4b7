package dev.shammah.store;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.shammah.testsupport.Cluster.ask;
import static dev.shammah.testsupport.Cluster.await;
import static dev.shammah.testsupport.Cluster.learning;
import static dev.shammah.testsupport.Cluster.route;
import static dev.shammah.testsupport.Cluster.text;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The database behind store.url replaced while an instance runs — by another one that has drawn more change numbers
 * than the instance has seen, or by a backup of itself whose numbers are behind — and the instance's copy becomes
 * exactly the new database's: nothing it held from the old one is served, everything the new one holds is. Reading
 * only the changes above its watermark would keep the old answers in the first case and miss none in the second,
 * which is why a new connection first checks the store's id and its last number.
 */
class StoreReplacedTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    /** Swaps the database {@code from} in for {@code live}, as an operator restoring one would: connections cut. */
    static void replace(String live, String from) {
        TestPostgres pg = TestPostgres.shared();
        TestPostgres.sql(pg.url("postgres"), "drop database " + live + " with (force)");
        TestPostgres.sql(pg.url("postgres"), "alter database " + from + " rename to " + live);
    }

    static String name(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    @Test
    void anotherDatabaseWithMoreChangesReplacesTheCopy() {
        String live = TestPostgres.shared().newDatabase();
        String other = TestPostgres.shared().newDatabase();
        TEACHER.answerWith(r -> "teacher says: " + r.getJsonArray("messages").getJsonObject(0).getString("content"));
        try (RunningApp elsewhere = RunningApp.startIn(TEACHER.baseUrl(), dirB, learning(other), Clock.systemUTC())) {
            for (int i = 1; i <= 5; i++) {
                ask(elsewhere, null, "Question from elsewhere " + i);
            }
        }
        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, learning(live), Clock.systemUTC())) {
            ask(a, null, "What is the capital of France?");
            assertThat(route(ask(a, null, "What is the capital of France?")), is("local"));

            replace(name(live), name(other));
            await("A's copy is the other database's", () -> a.app().sharedStore().status().current()
                    && a.app().learning().memory().size() == 5);
            assertThat("what only the old database held is not served", route(ask(a, null, "What is the capital of France?")),
                    is("forward"));
            HttpResponse<String> theirs = ask(a, null, "Question from elsewhere 3");
            assertThat(theirs.body(), route(theirs), is("local"));
            assertThat(text(theirs), is("teacher says: Question from elsewhere 3"));
        }
    }

    @Test
    void anOlderBackupOfTheSameStoreReplacesTheCopy() {
        String live = TestPostgres.shared().newDatabase();
        TEACHER.answerWith(r -> "teacher says: " + r.getJsonArray("messages").getJsonObject(0).getString("content"));
        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, learning(live), Clock.systemUTC())) {
            ask(a, null, "What is the capital of France?");
        }
        String backup = name(TestPostgres.shared().newDatabase());
        TestPostgres.sql(TestPostgres.shared().url("postgres"), "drop database " + backup);
        TestPostgres.sql(TestPostgres.shared().url("postgres"), "create database " + backup + " template " + name(live));

        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, learning(live), Clock.systemUTC())) {
            for (int i = 1; i <= 3; i++) {
                ask(a, null, "Learned after the backup " + i);
            }
            assertThat(route(ask(a, null, "Learned after the backup 2")), is("local"));

            replace(name(live), backup);
            await("A's copy is the backup's", () -> a.app().sharedStore().status().current()
                    && a.app().learning().memory().size() == 1);
            assertThat("what the backup lost is not served", route(ask(a, null, "Learned after the backup 2")),
                    is("forward"));
            HttpResponse<String> kept = ask(a, null, "What is the capital of France?");
            assertThat(kept.body(), route(kept), is("local"));
            assertThat(text(kept), is("teacher says: What is the capital of France?"));
        }
    }
}
