package dev.shammah.routing;

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
 *
 * <p>Every comparison recorded here is also told to a {@link Journal}, inside the same lock: a shared store writes
 * it to the database for the other instances, and puts back (through {@link #put}) what they recorded.
 */
public final class Evidence {
    /** How many agreement scores each tenant keeps (the newest). */
    public static final int AGREEMENT_SAMPLES = 200;
    /** Subject of the teacher's stability record ({@link #recordStability}). */
    public static final String STABILITY = "stability";
    private static final String KIND = "kind:";
    private static final String EXCHANGE = "exchange:";
    private static final String REWORD = "reword:";
    /** Prefix of a stored exchange's own rewording record, among the rewording keys. */
    private static final String ENTRY = "entry:";

    private final Map<String, TenantEvidence> tenants = new ConcurrentHashMap<>();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final Journal journal;

    /**
     * Where comparisons go besides this object, told inside its lock (so a journal that also {@linkplain #put puts}
     * counts back under {@code synchronized (evidence)} never interleaves with a comparison being recorded).
     */
    public interface Journal {
        Journal NONE = new Journal() {
        };

        /** One comparison of {@code subject} ({@link #kindSubject}, {@link #exchangeSubject} or {@link #STABILITY}). */
        default void counted(String tenant, String subject, boolean pass) {
        }

        default void blocked(String tenant, String shape) {
        }

        default void agreement(String tenant, double score) {
        }
    }

    /** Evidence kept only here. */
    public Evidence() {
        this(Journal.NONE);
    }

    public Evidence(Journal journal) {
        this.journal = journal;
    }

    public static String kindSubject(String kind) {
        return KIND + kind;
    }

    public static String exchangeSubject(String exchangeId) {
        return EXCHANGE + exchangeId;
    }

    /**
     * A record of what serving a rewording would have done ({@link #recordRewording}): kept apart from the kinds
     * of edit and the exchanges' own records, which the router reads, so that observing rewordings changes no
     * route.
     */
    public static String rewordingSubject(String key) {
        return REWORD + key;
    }

    /** The rewording key of a stored exchange's own record as a rewording's answer. */
    public static String rewordingEntry(String exchangeId) {
        return ENTRY + exchangeId;
    }

    /** Passes and fails of one thing compared. */
    public record Counts(long passes, long fails) {
        public static final Counts NONE = new Counts(0, 0);

        public Counts plus(Counts other) {
            return new Counts(passes + other.passes, fails + other.fails);
        }

        public Counts minus(Counts other) {
            return new Counts(passes - other.passes, fails - other.fails);
        }

        public Counts plus(boolean pass) {
            return pass ? new Counts(passes + 1, fails) : new Counts(passes, fails + 1);
        }

        public long total() {
            return passes + fails;
        }
    }

    public TenantEvidence tenant(String name) {
        return tenants.computeIfAbsent(name, n -> new TenantEvidence());
    }

    /** A tenant's record if it has one, without creating it. */
    public TenantEvidence existing(String name) {
        return tenants.get(name);
    }

    public Set<String> tenantNames() {
        return Collections.unmodifiableSet(tenants.keySet());
    }

    public synchronized void recordKind(String tenant, String kind, boolean pass) {
        tenant(tenant).kinds.merge(kind, Counts.NONE.plus(pass), (a, b) -> a.plus(pass));
        journal.counted(tenant, kindSubject(kind), pass);
        dirty.set(true);
    }

    public synchronized void recordExchange(String tenant, String exchangeId, boolean pass) {
        tenant(tenant).exchanges.merge(exchangeId, Counts.NONE.plus(pass), (a, b) -> a.plus(pass));
        journal.counted(tenant, exchangeSubject(exchangeId), pass);
        dirty.set(true);
    }

    /** One observation of a rewording: would a stored answer have been the teacher's for other words? */
    public synchronized void recordRewording(String tenant, String key, boolean pass) {
        tenant(tenant).recordRewording(key, pass);
        journal.counted(tenant, rewordingSubject(key), pass);
        dirty.set(true);
    }

    /** A comparison of two answers to the same request: the teacher's stability, and its agreement score. */
    public synchronized void recordStability(String tenant, boolean pass, double agreementScore) {
        TenantEvidence t = tenant(tenant);
        synchronized (t.agreement) {
            t.stability = t.stability.plus(pass);
            t.agreement.addLast(agreementScore);
            while (t.agreement.size() > AGREEMENT_SAMPLES) {
                t.agreement.removeFirst();
            }
        }
        journal.counted(tenant, STABILITY, pass);
        journal.agreement(tenant, agreementScore);
        dirty.set(true);
    }

    /** A request shape whose stored answer proved wrong: it is never answered locally again. */
    public synchronized void block(String tenant, String shape) {
        tenant(tenant).blocked.add(shape);
        journal.blocked(tenant, shape);
        dirty.set(true);
    }

    /**
     * Sets a subject's counts to what a shared store says they are, with this instance's comparisons not yet
     * written added back by the caller (which holds {@code synchronized (evidence)} around both).
     */
    public synchronized void put(String tenant, String subject, Counts counts) {
        TenantEvidence t = tenant(tenant);
        if (subject.equals(STABILITY)) {
            t.stability = counts;
        } else if (subject.startsWith(KIND)) {
            t.kinds.put(subject.substring(KIND.length()), counts);
        } else if (subject.startsWith(EXCHANGE)) {
            t.exchanges.put(subject.substring(EXCHANGE.length()), counts);
        } else if (subject.startsWith(REWORD)) {
            t.putRewording(subject.substring(REWORD.length()), counts);
        } else {
            throw new IllegalArgumentException("Unknown evidence subject: " + subject);
        }
    }

    /** The counts this object holds for a subject ({@link #kindSubject}, {@link #exchangeSubject}, {@link #STABILITY}). */
    public Counts counts(String tenant, String subject) {
        TenantEvidence t = tenants.get(tenant);
        if (t == null) {
            return Counts.NONE;
        }
        if (subject.equals(STABILITY)) {
            return t.stability;
        }
        if (subject.startsWith(REWORD)) {
            return t.rewording(subject.substring(REWORD.length()));
        }
        return subject.startsWith(KIND) ? t.kind(subject.substring(KIND.length()))
                : t.exchange(subject.substring(EXCHANGE.length()));
    }

    /** A shape another instance found wrong. */
    public synchronized void putBlocked(String tenant, String shape) {
        tenant(tenant).blocked.add(shape);
    }

    /** An agreement score another instance measured. */
    public synchronized void putAgreement(String tenant, double score) {
        TenantEvidence t = tenant(tenant);
        synchronized (t.agreement) {
            t.agreement.addLast(score);
            while (t.agreement.size() > AGREEMENT_SAMPLES) {
                t.agreement.removeFirst();
            }
        }
    }

    /** Forgets a tenant's exchange evidence (its exchanges were deleted). */
    public synchronized void forgetExchanges(String tenant, List<String> ids) {
        TenantEvidence t = tenants.get(tenant);
        if (t != null) {
            ids.forEach(t.exchanges::remove);
            t.forgetRewordings(ids.stream().map(Evidence::rewordingEntry).toList());
            dirty.set(true);
        }
    }

    /** Forgets everything (a copy of a shared store starting over). */
    public synchronized void clear() {
        tenants.clear();
        dirty.set(true);
    }

    /** Forgets everything about a tenant. */
    public synchronized void forget(String tenant) {
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
    void load(String tenant, Map<String, Counts> kinds, Map<String, Counts> exchanges, Map<String, Counts> rewordings,
              List<String> blocked, Counts stability, List<Double> agreement) {
        TenantEvidence t = tenant(tenant);
        t.kinds.putAll(kinds);
        t.exchanges.putAll(exchanges);
        t.putRewordings(rewordings);
        t.blocked.addAll(blocked);
        t.stability = stability;
        List<Double> a = new ArrayList<>(agreement);
        synchronized (t.agreement) {
            t.agreement.addAll(a.subList(Math.max(0, a.size() - AGREEMENT_SAMPLES), a.size()));
        }
    }

    Map<String, TenantEvidence> all() {
        return tenants;
    }
}
