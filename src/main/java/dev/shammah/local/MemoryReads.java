package dev.shammah.local;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * Whole-memory reads for administration and migration — every exchange, a tenant's page of them, the tenants
 * with their counts and dates — as functions of one searcher. The request path never uses them.
 */
final class MemoryReads {
    private MemoryReads() {
    }

    /** Every exchange (a format migration re-keys them all). */
    static List<Exchange> all(IndexSearcher searcher) throws IOException {
        List<Exchange> out = new ArrayList<>();
        StoredFields stored = searcher.storedFields();
        int n = Math.max(1, searcher.getIndexReader().numDocs());
        for (ScoreDoc sd : searcher.search(new MatchAllDocsQuery(), n).scoreDocs) {
            out.add(MemoryDocuments.read(stored.document(sd.doc)));
        }
        return out;
    }

    /** A tenant's exchanges, oldest first, {@code limit} of them from {@code offset}. */
    static List<Exchange> page(IndexSearcher searcher, String tenant, int offset, int limit) throws IOException {
        TopDocs top = searcher.search(new TermQuery(new Term(MemoryDocuments.TENANT, tenant)),
                Math.max(1, offset + limit));
        StoredFields stored = searcher.storedFields();
        List<ScoreDoc> docs = new ArrayList<>(List.of(top.scoreDocs));
        docs.sort(Comparator.comparingInt(d -> d.doc));
        List<Exchange> out = new ArrayList<>();
        for (int i = offset; i < docs.size() && out.size() < limit; i++) {
            out.add(MemoryDocuments.read(stored.document(docs.get(i).doc)));
        }
        return out;
    }

    /** Every tenant with stored exchanges, with counts and dates. */
    static List<TeacherMemory.TenantSummary> tenants(IndexSearcher searcher) throws IOException {
        Map<String, TeacherMemory.TenantSummary> by = new TreeMap<>();
        StoredFields stored = searcher.storedFields();
        int n = Math.max(1, searcher.getIndexReader().numDocs());
        for (ScoreDoc sd : searcher.search(new MatchAllDocsQuery(), n).scoreDocs) {
            Document d = stored.document(sd.doc, Set.of(MemoryDocuments.TENANT, MemoryDocuments.CREATED));
            String t = d.get(MemoryDocuments.TENANT);
            Instant at = Instant.parse(d.get(MemoryDocuments.CREATED));
            by.merge(t, new TeacherMemory.TenantSummary(t, 1, at, at), (a, b) -> new TeacherMemory.TenantSummary(t,
                    a.exchanges() + 1, a.first().isBefore(at) ? a.first() : at, a.last().isAfter(at) ? a.last() : at));
        }
        return List.copyOf(by.values());
    }
}
