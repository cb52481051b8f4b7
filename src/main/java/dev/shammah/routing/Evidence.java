package dev.shammah.routing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What comparisons with the teacher have shown, per tenant (one tenant's record never vouches for another's
 * requests): per kind of edit, per stored exchange, the request shapes that failed (never served again), how
 * often the teacher repeats itself, and a sample of how closely its answers to the same request agree.
 * Readers never lock (concurrent maps); {@link #dirty()} tells the saver something changed.
 */
public final class Evidence {
    /** How many agreement scores each tenant keeps (the newest). */
    static final int AGREEMENT_SAMPLES = 200;

    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final AtomicBoolean dirty = new AtomicBoolean();

    /** Passes and fails of one thing compared. */
    public record Counts(long passes, long fails) {
        static final Counts NONE = new Counts(0, 0);

        Counts plus(boolean pass) {
            return pass ? new Counts(passes + 1, fails) : new Counts(passes, fails + 1);
        }

        public long total() {
            return passes + fails;
        }
    }

    /** One tenant's record. */
    public static final class Tenant {
        final Map<String, Counts> kinds = new ConcurrentHashMap<>();
        final Map<String, Counts> exchanges = new ConcurrentHashMap<>();
        final Set<String> blocked = ConcurrentHashMap.newKeySet();
        final ArrayDeque<Double> agreement = new ArrayDeque<>();
        volatile Counts stability = Counts.NONE;

        public Counts kind(String kind) {
            return kinds.getOrDefault(kind, Counts.NONE);
        }

        public Counts exchange(String id) {
            return exchanges.getOrDefault(id, Counts.NONE);
        }

        public boolean blocked(String shape) {
            return blocked.contains(shape);
        }

        /** Comparisons of the teacher's answers to the very same request, and how many disagreed. */
        public Counts stability() {
            return stability;
        }

        public Map<String, Counts> kinds() {
            return Map.copyOf(kinds);
        }

        public int blockedShapes() {
            return blocked.size();
        }

        public List<Double> agreement() {
            synchronized (agreement) {
                return List.copyOf(agreement);
            }
        }
    }

    public Tenant tenant(String name) {
        return tenants.computeIfAbsent(name, n -> new Tenant());
    }

    /** A tenant's record if it has one, without creating it. */
    public Tenant existing(String name) {
        return tenants.get(name);
    }

    public Set<String> tenantNames() {
        return Collections.unmodifiableSet(tenants.keySet());
    }

    public void recordKind(String tenant, String kind, boolean pass) {
        tenant(tenant).kinds.merge(kind, Counts.NONE.plus(pass), (a, b) -> a.plus(pass));
        dirty.set(true);
    }

    public void recordExchange(String tenant, String exchangeId, boolean pass) {
        tenant(tenant).exchanges.merge(exchangeId, Counts.NONE.plus(pass), (a, b) -> a.plus(pass));
        dirty.set(true);
    }

    /** A comparison of two answers to the same request: the teacher's stability, and its agreement score. */
    public void recordStability(String tenant, boolean pass, double agreementScore) {
        Tenant t = tenant(tenant);
        synchronized (t.agreement) {
            t.stability = t.stability.plus(pass);
            t.agreement.addLast(agreementScore);
            while (t.agreement.size() > AGREEMENT_SAMPLES) {
                t.agreement.removeFirst();
            }
        }
        dirty.set(true);
    }

    /** A request shape whose stored answer proved wrong: it is never answered locally again. */
    public void block(String tenant, String shape) {
        tenant(tenant).blocked.add(shape);
        dirty.set(true);
    }

    /** Forgets a tenant's exchange evidence (its exchanges were deleted). */
    public void forgetExchanges(String tenant, List<String> ids) {
        Tenant t = tenants.get(tenant);
        if (t != null) {
            ids.forEach(t.exchanges::remove);
            dirty.set(true);
        }
    }

    /** Forgets everything about a tenant. */
    public void forget(String tenant) {
        if (tenants.remove(tenant) != null) {
            dirty.set(true);
        }
    }

    /** Whether anything changed since the last call (and clears the flag). */
    public boolean dirty() {
        return dirty.getAndSet(false);
    }

    public void markDirty() {
        dirty.set(true);
    }

    // Loading, for EvidenceStore.
    void load(String tenant, Map<String, Counts> kinds, Map<String, Counts> exchanges, List<String> blocked,
              Counts stability, List<Double> agreement) {
        Tenant t = tenant(tenant);
        t.kinds.putAll(kinds);
        t.exchanges.putAll(exchanges);
        t.blocked.addAll(blocked);
        t.stability = stability;
        List<Double> a = new ArrayList<>(agreement);
        synchronized (t.agreement) {
            t.agreement.addAll(a.subList(Math.max(0, a.size() - AGREEMENT_SAMPLES), a.size()));
        }
    }

    Map<String, Tenant> all() {
        return tenants;
    }
}
