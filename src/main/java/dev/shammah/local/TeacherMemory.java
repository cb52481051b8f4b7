package dev.shammah.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

/**
 * Every teacher answer Shammah has kept, durably, in a Lucene index under {@code data-dir/memory}. Each exchange
 * is indexed under three exact keys the router computes — its <em>shape</em> (tenant, context and canonical
 * prompt), its <em>core</em> (the same without courtesy wrappers) and its <em>scope</em> (tenant and context) —
 * so a request finds its equivalents by lookup, not by search; the prompt's embedding (HNSW) is kept for
 * finding candidates off the request's path. Lucene's commit is atomic and fsynced, so a crash loses at most
 * the exchange being added.
 */
public final class TeacherMemory implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TeacherMemory.class.getName());
    /** Index layout version, in {@code memory/FORMAT}; an index without it predates tenants. */
    private static final String FORMAT = "2";
    private static final String ID = "id";
    private static final String TENANT = "tenant";
    private static final String CONTEXT = "context";
    private static final String SCOPE = "scope";
    private static final String SHAPE = "shape";
    private static final String CORE = "core";
    private static final String PROMPT = "prompt";
    private static final String VECTOR = "vector";
    private static final String ANSWER = "answer";
    private static final String STOP = "stop_reason";
    private static final String MODEL = "model";
    private static final String TOKENS = "output_tokens";
    private static final String CREATED = "created_at";
    /** Most exchanges one lookup returns. */
    private static final int MAX_HITS = 32;

    private final IndexWriter writer;
    private final SearcherManager searchers;

    /** A stored exchange and how close its prompt's embedding is to the query's (cosine). */
    public record Neighbour(Exchange exchange, double cosine) {
    }

    /**
     * The exact keys an exchange is found by.
     *
     * @param scope tenant and context
     * @param shape tenant, context and canonical prompt
     * @param core  tenant, context and the prompt without courtesy wrappers
     */
    public record Keys(String scope, String shape, String core) {
    }

    /** What a tenant has stored. */
    public record TenantSummary(String tenant, int exchanges, Instant first, Instant last) {
    }

    public TeacherMemory(Path dir) {
        try {
            setAsideOldFormat(dir);
            dev.shammah.persist.PrivateFiles.createDirectories(dir);
            IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer());
            config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            this.writer = new IndexWriter(new PrivateDirectory(FSDirectory.open(dir)), config);
            dev.shammah.persist.AtomicFiles.write(dir.resolve("FORMAT"), FORMAT);
            dev.shammah.persist.PrivateFiles.restrict(dir.resolve("write.lock"));
            this.searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the teacher memory in " + dir, e);
        }
    }

    /**
     * An index from before tenants cannot say whose traffic each answer came from, so none of it may be served;
     * it is moved aside (not deleted) and the memory starts empty.
     */
    private static void setAsideOldFormat(Path dir) throws IOException {
        if (!Files.isDirectory(dir) || Files.isRegularFile(dir.resolve("FORMAT"))) {
            return;
        }
        try (var files = Files.list(dir)) {
            if (files.findAny().isEmpty()) {
                return;
            }
        }
        Path aside = dir.resolveSibling(dir.getFileName() + ".v1-" + System.currentTimeMillis());
        Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
        LOG.warning("The teacher memory in " + dir + " predates tenants (whose answer is whose is unknown); "
                + "moved to " + aside + " and starting empty");
    }

    /** Stores an exchange durably (committed before this returns). */
    public void add(Exchange e, float[] embedding, Keys keys) {
        Document doc = new Document();
        doc.add(new StringField(ID, e.id(), Field.Store.YES));
        doc.add(new StringField(TENANT, e.tenant(), Field.Store.YES));
        doc.add(new StringField(CONTEXT, e.contextKey(), Field.Store.YES));
        doc.add(new StringField(SCOPE, keys.scope(), Field.Store.NO));
        doc.add(new StringField(SHAPE, keys.shape(), Field.Store.NO));
        doc.add(new StringField(CORE, keys.core(), Field.Store.NO));
        doc.add(new StoredField(PROMPT, e.prompt()));
        doc.add(new KnnFloatVectorField(VECTOR, embedding, VectorSimilarityFunction.DOT_PRODUCT));
        doc.add(new StoredField(ANSWER, e.answer()));
        doc.add(new StoredField(STOP, e.stopReason()));
        doc.add(new StoredField(MODEL, e.model()));
        doc.add(new StoredField(TOKENS, e.outputTokens()));
        doc.add(new StoredField(CREATED, e.createdAt().toString()));
        try {
            writer.addDocument(doc);
            writer.commit();
            searchers.maybeRefresh();
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot store an exchange in the teacher memory", ex);
        }
    }

    /** Exchanges stored under this shape key, newest first. */
    public List<Exchange> byShape(String shape) {
        return newestFirst(new TermQuery(new Term(SHAPE, shape)));
    }

    /** Exchanges stored under this core key, newest first. */
    public List<Exchange> byCore(String core) {
        return newestFirst(new TermQuery(new Term(CORE, core)));
    }

    private List<Exchange> newestFirst(Query query) {
        return withSearcher(searcher -> {
            TopDocs top = searcher.search(query, MAX_HITS);
            StoredFields stored = searcher.storedFields();
            List<ScoreDoc> docs = new ArrayList<>(List.of(top.scoreDocs));
            // Later documents were added later.
            docs.sort(Comparator.comparingInt((ScoreDoc d) -> d.doc).reversed());
            List<Exchange> out = new ArrayList<>(docs.size());
            for (ScoreDoc sd : docs) {
                out.add(read(stored.document(sd.doc)));
            }
            return out;
        });
    }

    /** Up to {@code k} stored exchanges of the same scope (tenant and context), nearest first. */
    public List<Neighbour> nearest(float[] query, String scope, int k) {
        return withSearcher(searcher -> {
            TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, query, k,
                    new TermQuery(new Term(SCOPE, scope))), k);
            StoredFields stored = searcher.storedFields();
            List<Neighbour> out = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc sd : top.scoreDocs) {
                // Lucene scores DOT_PRODUCT of unit vectors as (1 + cos) / 2.
                out.add(new Neighbour(read(stored.document(sd.doc)), 2.0 * sd.score - 1.0));
            }
            return out;
        });
    }

    /** A tenant's exchanges, oldest first, {@code limit} of them from {@code offset}. */
    public List<Exchange> list(String tenant, int offset, int limit) {
        return withSearcher(searcher -> {
            TopDocs top = searcher.search(new TermQuery(new Term(TENANT, tenant)), Math.max(1, offset + limit));
            StoredFields stored = searcher.storedFields();
            List<ScoreDoc> docs = new ArrayList<>(List.of(top.scoreDocs));
            docs.sort(Comparator.comparingInt(d -> d.doc));
            List<Exchange> out = new ArrayList<>();
            for (int i = offset; i < docs.size() && out.size() < limit; i++) {
                out.add(read(stored.document(docs.get(i).doc)));
            }
            return out;
        });
    }

    public int count(String tenant) {
        return withSearcher(searcher -> searcher.count(new TermQuery(new Term(TENANT, tenant))));
    }

    /** One exchange of a tenant by id, if it is there. */
    public java.util.Optional<Exchange> get(String tenant, String id) {
        List<Exchange> hit = newestFirst(new BooleanQuery.Builder()
                .add(new TermQuery(new Term(TENANT, tenant)), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(ID, id)), BooleanClause.Occur.FILTER)
                .build());
        return hit.stream().findFirst();
    }

    /** Every tenant with stored exchanges, with counts and dates. */
    public List<TenantSummary> tenants() {
        return withSearcher(searcher -> {
            Map<String, TenantSummary> by = new TreeMap<>();
            StoredFields stored = searcher.storedFields();
            int n = Math.max(1, searcher.getIndexReader().numDocs());
            for (ScoreDoc sd : searcher.search(new MatchAllDocsQuery(), n).scoreDocs) {
                Document d = stored.document(sd.doc, java.util.Set.of(TENANT, CREATED));
                String t = d.get(TENANT);
                Instant at = Instant.parse(d.get(CREATED));
                by.merge(t, new TenantSummary(t, 1, at, at), (a, b) -> new TenantSummary(t, a.exchanges() + 1,
                        a.first().isBefore(at) ? a.first() : at, a.last().isAfter(at) ? a.last() : at));
            }
            return List.copyOf(by.values());
        });
    }

    /** Deletes all of a tenant's exchanges; returns their ids. */
    public List<String> deleteTenant(String tenant) {
        List<String> ids = new ArrayList<>();
        list(tenant, 0, Integer.MAX_VALUE - 1).forEach(e -> ids.add(e.id()));
        delete(new TermQuery(new Term(TENANT, tenant)));
        return ids;
    }

    /** Deletes one exchange of a tenant; false if the tenant has no exchange with that id. */
    public boolean delete(String tenant, String id) {
        if (get(tenant, id).isEmpty()) {
            return false;
        }
        delete(new BooleanQuery.Builder()
                .add(new TermQuery(new Term(TENANT, tenant)), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(ID, id)), BooleanClause.Occur.FILTER)
                .build());
        return true;
    }

    private void delete(Query query) {
        try {
            writer.deleteDocuments(query);
            writer.commit();
            searchers.maybeRefresh();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete from the teacher memory", e);
        }
    }

    public int size() {
        return withSearcher(searcher -> searcher.getIndexReader().numDocs());
    }

    private interface Search<T> {
        T run(IndexSearcher searcher) throws IOException;
    }

    private <T> T withSearcher(Search<T> search) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return search.run(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Teacher memory search failed", e);
        }
    }

    private static Exchange read(Document d) {
        return new Exchange(d.get(ID), d.get(TENANT), d.get(CONTEXT), d.get(PROMPT), d.get(ANSWER), d.get(STOP),
                d.get(MODEL), d.getField(TOKENS).numericValue().longValue(), Instant.parse(d.get(CREATED)));
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
