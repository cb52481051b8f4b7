package dev.shammah.api;

import dev.shammah.engine.LearningLoop;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /v1/training/status}: the learning core's state as JSON (the same figures as /metrics). */
public final class TrainingService implements HttpService {
    private final LearningLoop learning;

    public TrainingService(LearningLoop learning) {
        this.learning = learning;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/training/status", (req, res) -> JsonBodies.send(res, learning.status()));
    }
}
