package dev.shammah.cli;

import dev.shammah.api.RequestId;
import dev.shammah.engine.CacheControl;
import dev.shammah.engine.Engine;
import dev.shammah.engine.EngineReply;
import dev.shammah.engine.EventSink;
import dev.shammah.engine.MessagesRequest;
import dev.shammah.engine.Turn;
import dev.shammah.learning.Learning;
import dev.shammah.learning.LearningStatus;
import dev.shammah.local.RecallModel;
import dev.shammah.upstream.ForwardedHeaders;
import jakarta.json.JsonObject;

/** The engine in this process: the same router, models, upstream and request log as the daemon. */
final class InProcessAnswerer implements Answerer {
    private final Engine engine;
    private final Learning learning;

    InProcessAnswerer(Engine engine, Learning learning) {
        this.engine = engine;
        this.learning = learning;
    }

    @Override
    public EngineReply answer(JsonObject body, Turn.Route route, EventSink sink) {
        // The person at this terminal owns the machine: the local tenant, and free to force a local answer.
        Turn turn = new Turn(MessagesRequest.parse(body), ForwardedHeaders.NONE, RequestId.generate().value(), "",
                route, null, Turn.LOCAL_TENANT, true, "terminal", CacheControl.ANY);
        return sink == null ? engine.answer(turn) : engine.stream(turn, sink);
    }

    @Override
    public long[] routeCounts() {
        return learning.routeCounts();
    }

    @Override
    public double dollarsSaved() {
        return learning.dollarsSaved();
    }

    @Override
    public JsonObject usage() {
        return engine.usageReport();
    }

    @Override
    public String describeSession(String sessionId) {
        return engine.sessions().find(sessionId, null)
                .map(s -> "session " + s.id() + ": " + s.turns() + " turns, " + s.messageCount() + " messages, "
                        + s.inputTokens() + " input / " + s.outputTokens() + " output tokens")
                .orElse(engine.sessions().gone(sessionId, null)
                        ? "Session " + sessionId + " has expired; the next message starts a new one."
                        : "session " + sessionId + ": no answered turn yet (the last answer was cancelled or failed); "
                        + "the next message continues it");
    }

    @Override
    public String training() {
        LearningStatus s = learning.status(Turn.LOCAL_TENANT);
        StringBuilder sb = new StringBuilder();
        long trusted = s.kinds().stream().filter(LearningStatus.Kind::trusted).count();
        sb.append(TrainingText.summary(s.enabled(), s.memoryExchanges(), s.shadow().passes() + s.verify().passes(),
                s.shadow().fails() + s.verify().fails(), trusted, s.kinds().size())).append('\n');
        if (s.rewordings() != null) {
            var r = s.rewordings();
            sb.append(TrainingText.rewordings(r.candidates(), r.guardRefused(), r.agreed(), r.disagreed()))
                    .append('\n');
        }
        return sb.toString().strip();
    }

    @Override
    public String models() {
        StringBuilder sb = new StringBuilder("recall (" + RecallModel.ID + "): answers from remembered teacher "
                + "answers\n");
        var models = learning.models();
        if (models.generator() != null) {
            sb.append("your model (shammah-local): ").append(models.generator().config().architecture()).append(", ")
                    .append(models.generator().directory()).append('\n');
        }
        if (models.userModel() != null) {
            sb.append("user model (shammah-user): ").append(models.userModel().directory()).append('\n');
        }
        return sb.append("device: ").append(ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() > 0
                ? "gpu available" : "cpu").toString();
    }

    @Override
    public String where() {
        return "in-process";
    }
}
