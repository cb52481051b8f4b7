package dev.shammah.learning;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.shammah.routing.Evidence;
import dev.shammah.routing.TenantEvidence;

/**
 * What shadow observations of one tenant's rewordings add up to ({@code "rewordings"} in
 * {@code GET /v1/training/status}), from the durable records alone, so it survives a restart.
 *
 * @param candidates       forwarded requests that had a candidate (a stored prompt near enough, not the same request)
 * @param guardRefused     of which the guard refused the pair
 * @param agreed           guard-passed pairs whose stored answer agreed with the teacher's
 * @param disagreed        guard-passed pairs whose stored answer did not
 * @param refusedAgreed    refused pairs whose stored answer agreed all the same (rewordings the guard costs)
 * @param refusedDisagreed refused pairs whose answers differed (what the guard saved)
 * @param byCosine         guard-passed pairs by cosine bucket: the data a bound is set from
 * @param refusedByRule    refused pairs by the rule that refused them, by rule name
 * @param indexed          stored prompts filed by meaning, all tenants
 * @param queued           observations and filings waiting now
 * @param dropped          observations and filings dropped because their thread could not keep up
 * @param serving          where rewordings are served now; null when they are only observed
 */
public record RewordingStatus(long candidates, long guardRefused, long agreed, long disagreed, long refusedAgreed,
                              long refusedDisagreed, List<Bucket> byCosine, Map<String, Evidence.Counts> refusedByRule,
                              int indexed, int queued, long dropped, Serving serving) {
    /**
     * Rewordings served now ({@link RewordTrust}).
     *
     * @param maxWrongRate  the bound
     * @param servedFrom    per shape ({@code contained}, {@code exchanged}), the lowest cosine served; NaN for none
     * @param closedEntries stored exchanges that gave a wrong answer to other words and never will again
     */
    public record Serving(double maxWrongRate, Map<String, Double> servedFrom, long closedEntries) {
        /** Where {@code trust} serves a tenant's rewordings now, from its records ({@code ev} null: none yet). */
        static Serving of(RewordTrust trust, TenantEvidence ev, Map<String, Evidence.Counts> records) {
            TenantEvidence t = ev == null ? new Evidence().tenant("") : ev;
            Map<String, Double> from = new LinkedHashMap<>();
            for (RewordTrust.Shape s : RewordTrust.Shape.values()) {
                from.put(s.key(), trust.threshold(t, s));
            }
            long closed = records.entrySet().stream()
                    .filter(r -> r.getKey().startsWith(Evidence.rewordingEntry("")) && r.getValue().fails() > 0).count();
            return new Serving(trust.maxWrongRate(), from, closed);
        }
    }

    /** Guard-passed pairs with a cosine in [from, to). */
    public record Bucket(double from, double to, long n, long agreed) {
        public double agreementRate() {
            return n == 0 ? Double.NaN : (double) agreed / n;
        }
    }

    static RewordingStatus of(Map<String, Evidence.Counts> records, int indexed, int queued, long dropped,
                              Serving serving) {
        Evidence.Counts passed = Evidence.Counts.NONE;
        Evidence.Counts refused = Evidence.Counts.NONE;
        Map<String, Evidence.Counts> buckets = new TreeMap<>();
        SortedMap<String, Evidence.Counts> rules = new TreeMap<>();
        for (double b = RewordTrust.FLOOR; b < 1 - 1e-9; b += RewordRecords.BUCKET) {
            buckets.put(RewordRecords.bucket(b + 1e-6), Evidence.Counts.NONE);
        }
        for (Map.Entry<String, Evidence.Counts> r : records.entrySet()) {
            String key = r.getKey();
            Evidence.Counts c = r.getValue();
            if (key.startsWith(RewordRecords.PASSED)) {
                passed = passed.plus(c);
                buckets.merge(key.substring(RewordRecords.PASSED.length()), c, Evidence.Counts::plus);
            } else if (key.startsWith(RewordRecords.REFUSED)) {
                refused = refused.plus(c);
                String rule = key.substring(RewordRecords.REFUSED.length(), key.lastIndexOf(':'));
                rules.merge(rule, c, Evidence.Counts::plus);
            }
        }
        List<Bucket> byCosine = new ArrayList<>();
        buckets.forEach((from, c) -> {
            double f = Double.parseDouble(from);
            byCosine.add(new Bucket(f, Math.min(1, Math.round((f + RewordRecords.BUCKET) * 100) / 100.0), c.total(),
                    c.passes()));
        });
        return new RewordingStatus(passed.total() + refused.total(), refused.total(), passed.passes(), passed.fails(),
                refused.passes(), refused.fails(), List.copyOf(byCosine), Collections.unmodifiableSortedMap(rules), indexed, queued, dropped, serving);
    }
}
