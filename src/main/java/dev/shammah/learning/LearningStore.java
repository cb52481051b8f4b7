package dev.shammah.learning;

import java.util.List;

import dev.shammah.local.Exchange;
import dev.shammah.local.TeacherMemory;
import dev.shammah.routing.Evidence;

/**
 * Where what was learned lives: the teacher's exchanges and the evidence about them. Lookups always go to
 * {@link #memory()} and {@link #evidence()} in this process — the request path never waits on anything remote —
 * while keeping and forgetting go wherever the store keeps things: the data dir, or a database shared with other
 * instances, whose changes this instance applies to its local copies as they arrive.
 */
public interface LearningStore extends AutoCloseable {
    /** The memory the router and the learner look exchanges up in. */
    TeacherMemory memory();

    /** The evidence the router decides by. */
    Evidence evidence();

    /**
     * Keeps a newly learned exchange: visible to the next lookup of its keys here, and kept as the store keeps
     * things. An exchange that cannot be kept (a shared store out of reach) is dropped and counted, never retried
     * on the request's path.
     */
    void keep(Exchange exchange, TeacherMemory.Keys keys);

    /** Deletes all of a tenant's exchanges and evidence, here and wherever the store keeps them; returns their ids. */
    List<String> forgetTenant(String tenant);

    /** Deletes one exchange of a tenant and its evidence; false if the tenant has no exchange with that id. */
    boolean forgetExchange(String tenant, String id);

    /**
     * Whether what this instance knows is current enough to answer from: a shared store that cannot be reached
     * (or is still being caught up with) may hold a verdict against an answer that this instance has not seen,
     * so then every request is forwarded.
     */
    boolean current();

    /** Exchanges that could not be kept. */
    long dropped();

    @Override
    void close();
}
