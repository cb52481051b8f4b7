package dev.shammah.engine;

import java.util.ArrayList;
import java.util.List;

import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.json.Json;
import dev.shammah.metrics.Budgets;
import dev.shammah.routing.RouteDecision;
import dev.shammah.routing.RouteReason;
import dev.shammah.session.SessionLease;
import dev.shammah.upstream.ClaudeClient;
import jakarta.json.JsonObject;

/**
 * Everything decided before a turn is answered: whether the caller may ask for what it asked, the conversation
 * (the session's history and what this request adds to it, which together must still fit one upstream request),
 * the route plan, and the body that would go upstream.
 */
final class TurnPreparer {
    private final ClaudeClient upstream;
    private final LocalModels models;
    private final TurnLearning learning;
    private final long maxRequestBytes;
    /** Refuses a forward for a tenant whose teacher budget is spent; null for no budgets. */
    private final Budgets budgets;

    TurnPreparer(ClaudeClient upstream, LocalModels models, TurnLearning learning, long maxRequestBytes,
                 Budgets budgets) {
        this.budgets = budgets;
        this.upstream = upstream;
        this.models = models;
        this.learning = learning;
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * The router's plan as the client's {@code Cache-Control} allows: {@code no-store} forwards and keeps nothing
     * (no prompt, so nothing is learned, compared or trained on); {@code no-cache} forwards what would have been
     * answered locally, and the answer is still compared with the stored one and learned from.
     */
    private static Plan cached(CacheControl cache, Plan plan) {
        if (!cache.store()) {
            return Plan.forward(plan.tenant(), RouteReason.NO_STORE);
        }
        RouteDecision d = plan.decision();
        if (!cache.serve() && d.local()) {
            return plan.withDecision(d.asForward(RouteReason.NO_CACHE));
        }
        if (!cache.otherWords() && d.local() && d.why() == RouteReason.REWORDED) {
            return plan.withDecision(d.asForward(RouteReason.EXACT_ONLY));
        }
        return plan;
    }

    /** Thrown when a request must be forwarded and there is nothing to forward with. */
    void requireUpstream(Turn turn) {
        if (!upstream.canCall(turn.headers())) {
            throw new ShammahException(ErrorType.UNAVAILABLE, "No upstream API key is configured, and no "
                    + "local answer is available. Set ANTHROPIC_API_KEY (or SHAMMAH_UPSTREAM_API_KEY), or "
                    + "upstream.api-key in ~/.shammah/config.yaml or the file given with --config.");
        }
    }

    Prepared prepare(Turn turn, SessionLease lease, TurnLog log) {
        MessagesRequest request = turn.request();
        if (turn.route() == Turn.Route.LOCAL && !turn.mayForceLocal()) {
            throw new ShammahException(ErrorType.PERMISSION, "x-shammah-route: local needs an admin key "
                    + "(server.admin-keys); without one the router decides");
        }
        List<JsonObject> history = lease.history();
        List<JsonObject> added = Conversations.newMessages(history, request.messages());
        // A client that sends only its new turn has the history prepended: the two together must fit.
        boolean prepended = !history.isEmpty() && added.size() == request.messages().size();
        if (prepended && lease.historyBytes() + request.body().toString().length() > maxRequestBytes) {
            throw new ShammahException(ErrorType.REQUEST_TOO_LARGE, "This conversation no longer fits one request to "
                    + "the upstream (server.max-body-bytes: " + maxRequestBytes + " bytes with its history); start a "
                    + "new session");
        }
        List<JsonObject> conversation = new ArrayList<>(history.size() + added.size());
        conversation.addAll(history);
        conversation.addAll(added);
        Plan plan;
        if (LocalModels.isLocalModelName(request.model())) {
            // The client chose a local model by name: it never goes upstream (Claude has no such model).
            String why = models.unavailable(request.model());
            if (why != null) {
                throw new ShammahException(ErrorType.UNAVAILABLE, why);
            }
            String prompt = PromptText.eligible(conversation);
            plan = new Plan(new RouteDecision(true, RouteReason.REQUESTED_MODEL, request.model(), null, null,
                    1), turn.tenant(), prompt == null ? PromptText.lastUserText(conversation) : prompt, null, null);
        } else {
            plan = switch (turn.route()) {
                case AUTO -> cached(turn.cache(), learning.plan(turn.tenant(), conversation, request.body()));
                case FORWARD -> Plan.forward(turn.tenant(), RouteReason.REQUESTED_FORWARD);
                case LOCAL -> learning.forced(turn.tenant(), conversation, request.body(),
                        models.generator() != null);
            };
        }
        log.plan = plan;
        if (!plan.decision().local()) {
            requireUpstream(turn);
            if (budgets != null) {
                budgets.check(turn.tenant());
            }
        }
        JsonObject outgoing = conversation.size() == request.messages().size()
                ? request.body()
                : Json.createObjectBuilder(request.body()).add("messages", Conversations.array(conversation)).build();
        return new Prepared(lease, added, outgoing, plan);
    }

    /** The session lease, the messages this turn adds to it, the request to send upstream, and the route plan. */
    record Prepared(SessionLease lease, List<JsonObject> added, JsonObject outgoing, Plan plan) {
    }
}
