package dev.shammah.testsupport;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A Shammah sharing a store, in a process of its own, to be killed with -9 by a test: it learns one exchange after
 * another and adds turns to one conversation, and says on stdout what the store has committed of each — "learned
 * N" once the exchange is written, "turn N" once the turn is recorded.
 * Arguments: the store's JDBC URL, the fake upstream's base URL, a data dir.
 */
public final class StoreVictim {
    private StoreVictim() {
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        Map<String, String> config = Cluster.learning(args[0]);
        try (RunningApp app = RunningApp.startIn(URI.create(args[1]), Path.of(args[2]), config, Clock.systemUTC())) {
            for (int i = 0; ; i++) {
                HttpResponse<String> learned = app.post("/v1/messages", Requests.simple("Victim question " + i, null));
                // The learner writes to the store before it returns: once drained, the exchange is committed.
                app.app().learning().drain();
                if (learned.statusCode() == 200) {
                    System.out.println("learned " + i);
                }
                HttpResponse<String> turn = app.post("/v1/messages", Requests.simple("Turn " + i, "victim-conversation"));
                if (turn.statusCode() == 200) {
                    System.out.println("turn " + i);
                }
                System.out.flush();
            }
        }
    }
}
