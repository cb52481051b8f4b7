package dev.shammah.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

/**
 * Every teacher answer Shammah has seen, kept durably in a Lucene index under {@code data-dir/memory}:
 * the prompt's embedding in an HNSW vector field for nearest-neighbour search, the prompt as BM25 text,
 * and the answer as stored fields. Lucene's commit is atomic and fsynced, so a crash loses at most the
 * exchange being added.
 */
public final class TeacherMemory implements AutoCloseable {
    private static final String ID = "id";
    private static final String CONTEXT = "context";
    private static final String PROMPT = "prompt";
    private static final String VECTOR = "vector";
    private static final String ANSWER = "answer";
    private static final String STOP = "stop_reason";
    private static final String MODEL = "model";
    private static final String TOKENS = "output_tokens";
    private static final String CREATED = "created_at";

    private final IndexWriter writer;
    private final SearcherManager searchers;

    /** A stored exchange and how close its prompt's embedding is to the query's (cosine). */
    public record Neighbour(Exchange exchange, double cosine) {
    }

    public TeacherMemory(Path dir) {
        try {
            Files.createDirectories(dir);
            IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer());
            config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            this.writer = new IndexWriter(FSDirectory.open(dir), config);
            this.searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the teacher memory in " + dir, e);
        }
    }

    /** Stores an exchange durably (committed before this returns). */
    public void add(Exchange e, float[] embedding) {
        Document doc = new Document();
        doc.add(new StringField(ID, e.id(), Field.Store.YES));
        doc.add(new StringField(CONTEXT, e.contextKey(), Field.Store.YES));
        doc.add(new TextField(PROMPT, e.prompt(), Field.Store.YES));
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

    /** Up to {@code k} stored exchanges of the same context, nearest first. */
    public List<Neighbour> nearest(float[] query, String contextKey, int k) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, query, k,
                        new TermQuery(new Term(CONTEXT, contextKey))), k);
                StoredFields stored = searcher.storedFields();
                List<Neighbour> out = new ArrayList<>(top.scoreDocs.length);
                for (ScoreDoc sd : top.scoreDocs) {
                    // Lucene scores DOT_PRODUCT of unit vectors as (1 + cos) / 2.
                    out.add(new Neighbour(read(stored.document(sd.doc)), 2.0 * sd.score - 1.0));
                }
                return out;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Teacher memory search failed", e);
        }
    }

    public int size() {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().numDocs();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Exchange read(Document d) {
        return new Exchange(d.get(ID), d.get(CONTEXT), d.get(PROMPT), d.get(ANSWER), d.get(STOP), d.get(MODEL),
                d.getField(TOKENS).numericValue().longValue(), Instant.parse(d.get(CREATED)));
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
