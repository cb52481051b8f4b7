package dev.shammah.routing;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** One tenant's record of evidence ({@link Evidence}). */
public final class TenantEvidence {
    final Map<String, Evidence.Counts> kinds = new ConcurrentHashMap<>();
    final Map<String, Evidence.Counts> exchanges = new ConcurrentHashMap<>();
    /** Changed only through the methods below, each of which bumps {@link #rewordingsVersion}. */
    private final Map<String, Evidence.Counts> rewordings = new ConcurrentHashMap<>();
    /** Bumped after every change to the rewording records: what is computed from them is good while it stands. */
    private final AtomicLong rewordingsVersion = new AtomicLong();
    final Set<String> blocked = ConcurrentHashMap.newKeySet();
    final ArrayDeque<Double> agreement = new ArrayDeque<>();
    volatile Evidence.Counts stability = Evidence.Counts.NONE;
    /** The last {@link Derived} figure kept here; null before one is. */
    private volatile Derived derived;

    /**
     * A yes-or-no worked out from the rewording records by {@code by} at {@code version} — kept on the tenant so that
     * a request asking again finds it with one read (a cache keyed by tenant cost a hash lookup and a write to its
     * read buffer on every forwarded request).
     */
    public record Derived(Object by, long version, boolean value) {
    }

    /** The figure {@code by} kept at the rewording records' {@code version}, or null when it is not (still) that. */
    public Derived derived(Object by, long version) {
        Derived d = derived;
        return d != null && d.by() == by && d.version() == version ? d : null;
    }

    public void derive(Derived d) {
        derived = d;
    }

    public Evidence.Counts kind(String kind) {
        return kinds.getOrDefault(kind, Evidence.Counts.NONE);
    }

    public Evidence.Counts exchange(String id) {
        return exchanges.getOrDefault(id, Evidence.Counts.NONE);
    }

    /** One rewording record ({@link Evidence#rewordingSubject} without its prefix). */
    public Evidence.Counts rewording(String key) {
        return rewordings.getOrDefault(key, Evidence.Counts.NONE);
    }

    /** Changes whenever a rewording record does (read it before the records it stands for). */
    public long rewordingsVersion() {
        return rewordingsVersion.get();
    }

    void recordRewording(String key, boolean pass) {
        rewordings.merge(key, Evidence.Counts.NONE.plus(pass), (a, b) -> a.plus(pass));
        rewordingsVersion.incrementAndGet();
    }

    void putRewording(String key, Evidence.Counts counts) {
        rewordings.put(key, counts);
        rewordingsVersion.incrementAndGet();
    }

    void putRewordings(Map<String, Evidence.Counts> records) {
        rewordings.putAll(records);
        rewordingsVersion.incrementAndGet();
    }

    void forgetRewordings(Collection<String> keys) {
        keys.forEach(rewordings::remove);
        rewordingsVersion.incrementAndGet();
    }

    /** Rewording records by key ({@link Evidence#rewordingSubject} without its prefix). */
    public Map<String, Evidence.Counts> rewordings() {
        return Map.copyOf(rewordings);
    }

    public boolean blocked(String shape) {
        return blocked.contains(shape);
    }

    /** Comparisons of the teacher's answers to the very same request, and how many disagreed. */
    public Evidence.Counts stability() {
        return stability;
    }

    public Map<String, Evidence.Counts> kinds() {
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
