package dev.shammah.engine;

import dev.shammah.routing.PromptForm;
import dev.shammah.routing.RouteDecision;
import dev.shammah.routing.RouteReason;

/**
 * The route plan for one request.
 *
 * @param decision   the route and why
 * @param tenant     whose learning this request may use and feed
 * @param prompt     the last user text (null when the request is not eligible for a local answer)
 * @param form       the prompt as the router compares it (null when not eligible)
 * @param contextKey hash of what came before it (null when not eligible)
 */
public record Plan(RouteDecision decision, String tenant, String prompt, PromptForm form, String contextKey) {
    public static Plan forward(String tenant, RouteReason why) {
        return new Plan(RouteDecision.forward(why), tenant, null, null, null);
    }

    public Plan withDecision(RouteDecision d) {
        return new Plan(d, tenant, prompt, form, contextKey);
    }

    /** Whether a forwarded answer to this request can teach anything (it was eligible). */
    public boolean learnable() {
        return form != null;
    }
}
