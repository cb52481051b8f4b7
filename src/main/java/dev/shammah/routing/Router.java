package dev.shammah.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.shammah.local.Exchange;
import dev.shammah.local.RecallModel;
import dev.shammah.local.TeacherMemory;

/**
 * Decides local or forward for one tenant's request. A stored exchange is a candidate only when it is the same
 * request ({@link Equivalence}): found by exact key lookups in the tenant's own memory — the same canonical
 * prompt, the same prompt inside other courtesy wrappers, or the same prompt behind a wrapper already proven
 * harmless. It is served only when the evidence says so:
 * <ul>
 * <li>the same request: served, unless its answer has failed a check, or the teacher has been measured to
 * answer identical requests differently more often than {@code max-wrong-rate} allows (then each request needs
 * a passed check of its own first);</li>
 * <li>a wrapped request: served only if every kind of edit between the two has a record whose estimated wrong
 * rate ({@link WrongRate}) is within {@code max-wrong-rate}.</li>
 * </ul>
 * Nothing is decided from similarity scores, so no record of one request can vouch for a different one.
 */
public final class Router {
    /** Above this many proven wrappers, only one at a time is tried (pairs grow quadratically). */
    static final int MAX_PAIRED = 16;

    private final TeacherMemory memory;
    private final Evidence evidence;
    private final Equivalence equivalence;
    private final double maxWrongRate;

    public Router(TeacherMemory memory, Evidence evidence, Equivalence equivalence, double maxWrongRate) {
        this.memory = memory;
        this.evidence = evidence;
        this.equivalence = equivalence;
        this.maxWrongRate = maxWrongRate;
    }

    public double maxWrongRate() {
        return maxWrongRate;
    }

    /**
     * The decision for a request.
     *
     * @param forced a person with the right to asked for a local answer: evidence is not required, but the
     *               candidate must still be the same request (or differ only by courtesy) and never have failed
     */
    public RouteDecision decide(String tenant, String contextKey, PromptForm form, boolean forced) {
        TenantEvidence ev = evidence.tenant(tenant);
        boolean stable = teacherStable(ev);
        String shape = MemoryKeys.shape(tenant, contextKey, form);
        if (ev.blocked(shape)) {
            return RouteDecision.forward(RouteReason.BLOCKED);
        }
        RouteDecision best = RouteDecision.forward(RouteReason.NO_CANDIDATE);
        for (Exchange e : memory.byShape(shape)) {
            if (!RecallModel.replayable(e)) {
                continue;
            }
            Evidence.Counts own = ev.exchange(e.id());
            if (own.fails() > 0) {
                best = new RouteDecision(false, RouteReason.BLOCKED, e, Equivalence.Edit.SAME, 1);
                continue;
            }
            if (forced) {
                return new RouteDecision(true, RouteReason.REQUESTED_LOCAL, e, Equivalence.Edit.SAME, 0);
            }
            if (stable || own.passes() > 0) {
                return new RouteDecision(true, RouteReason.SAME, e, Equivalence.Edit.SAME, 0);
            }
            return new RouteDecision(false, RouteReason.UNSTABLE, e, Equivalence.Edit.SAME, 1);
        }
        RouteDecision wrapped = wrapped(tenant, contextKey, form, ev, stable, forced, form.core(),
                memory.byCore(MemoryKeys.core(tenant, contextKey, form.core())));
        if (wrapped != null && (wrapped.local() || best.candidate() == null)) {
            if (wrapped.local()) {
                return wrapped;
            }
            best = wrapped;
        }
        // Wrappers already proven harmless: look the request up as it would read without (or with) them — one
        // wrapper, then one at each end.
        List<String> proven = new ArrayList<>();
        for (Map.Entry<String, Evidence.Counts> kind : ev.kinds().entrySet()) {
            if (!equivalence.isCourtesy(kind.getKey()) && wrongRate(kind.getKey(), kind.getValue()) <= maxWrongRate) {
                proven.add(kind.getKey());
            }
        }
        for (String first : proven) {
            for (List<String> core : Equivalence.applications(first, form.core())) {
                RouteDecision d = lookUp(tenant, contextKey, form, ev, stable, forced, core);
                if (d != null) {
                    return d;
                }
                if (proven.size() > MAX_PAIRED) {
                    continue;
                }
                for (String second : proven) {
                    if (second.regionMatches(0, first, 0, 4)) {
                        continue;
                    }
                    for (List<String> both : Equivalence.applications(second, core)) {
                        d = lookUp(tenant, contextKey, form, ev, stable, forced, both);
                        if (d != null) {
                            return d;
                        }
                    }
                }
            }
        }
        return best;
    }

    /** A local decision for an exchange stored under {@code core}, or null. */
    private RouteDecision lookUp(String tenant, String contextKey, PromptForm form, TenantEvidence ev, boolean stable,
                                 boolean forced, List<String> core) {
        RouteDecision d = wrapped(tenant, contextKey, form, ev, stable, forced, core,
                memory.byCore(MemoryKeys.core(tenant, contextKey, core)));
        return d != null && d.local() ? d : null;
    }

    /**
     * The best decision among exchanges that may be the request inside other wrappers; null if none is. Every
     * candidate was found under {@code core}, so that is its core even where its prompt text was not kept.
     */
    private RouteDecision wrapped(String tenant, String contextKey, PromptForm form, TenantEvidence ev,
                                  boolean stable, boolean forced, List<String> core, List<Exchange> candidates) {
        RouteDecision best = null;
        for (Exchange e : candidates) {
            if (!RecallModel.replayable(e)) {
                continue;
            }
            PromptForm stored = e.prompt() != null ? PromptForm.of(e.prompt(), equivalence.courtesy())
                    : PromptForm.rebuilt(e.prefixes(), core, e.suffixes());
            Equivalence.Edit edit = equivalence.compare(form, stored);
            if (edit.relation() == Equivalence.Relation.DIFFERENT) {
                continue;
            }
            Evidence.Counts own = ev.exchange(e.id());
            if (own.fails() > 0 || ev.blocked(MemoryKeys.shape(tenant, contextKey, stored))) {
                if (best == null) {
                    best = new RouteDecision(false, RouteReason.BLOCKED, e, edit, 1);
                }
                continue;
            }
            double w = wrongRate(ev, edit);
            if (forced && provenOrCourtesy(ev, edit)) {
                return new RouteDecision(true, RouteReason.REQUESTED_LOCAL, e, edit, w);
            }
            if (w <= maxWrongRate && (stable || own.passes() > 0)) {
                return new RouteDecision(true, edit.relation() == Equivalence.Relation.SAME ? RouteReason.SAME : RouteReason.WRAPPED,
                        e, edit, w);
            }
            if (best == null || best.why() == RouteReason.BLOCKED) {
                best = new RouteDecision(false, w <= maxWrongRate ? RouteReason.UNSTABLE : RouteReason.UNPROVEN, e, edit, w);
            }
        }
        return best;
    }

    /** Forcing local still needs the same request: courtesy differences that never failed, or proven edits. */
    private boolean provenOrCourtesy(TenantEvidence ev, Equivalence.Edit edit) {
        for (String part : edit.parts()) {
            Evidence.Counts c = ev.kind(part);
            boolean ok = c.fails() == 0 && (equivalence.isCourtesy(part) || wrongRate(part, c) <= maxWrongRate);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The chance that reusing an answer across every part of {@code edit} is wrong. */
    public double wrongRate(TenantEvidence ev, Equivalence.Edit edit) {
        double right = 1;
        for (String part : edit.parts()) {
            right *= 1 - wrongRate(part, ev.kind(part));
        }
        return 1 - right;
    }

    public double wrongRate(String part, Evidence.Counts c) {
        return WrongRate.ofEdit(c.passes(), c.fails(), equivalence.isCourtesy(part));
    }

    /**
     * Whether the teacher's answers to identical requests can be taken as repeatable: no disagreement seen, or
     * too few to show a disagreement rate above the bound.
     */
    public boolean teacherStable(TenantEvidence ev) {
        Evidence.Counts s = ev.stability();
        return s.fails() == 0 || WrongRate.wilsonLower(s.fails(), s.total()) <= maxWrongRate;
    }
}
