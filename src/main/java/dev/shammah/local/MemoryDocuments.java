package dev.shammah.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;

/**
 * How an exchange is laid out in the teacher memory's Lucene index: its exact keys as unstored terms, the exchange
 * itself as stored fields; and what happens to an index from before tenants.
 */
final class MemoryDocuments {
    private static final Logger LOG = Logger.getLogger(MemoryDocuments.class.getName());
    static final String ID = "id";
    static final String TENANT = "tenant";
    static final String CONTEXT = "context";
    static final String SCOPE = "scope";
    static final String SHAPE = "shape";
    static final String CORE = "core";
    static final String SPAN = "span";
    static final String PROMPT = "prompt";
    static final String ANSWER = "answer";
    static final String STOP = "stop_reason";
    static final String MODEL = "model";
    static final String TOKENS = "output_tokens";
    static final String CREATED = "created_at";
    static final String PREFIXES = "prefixes";
    static final String SUFFIXES = "suffixes";

    private MemoryDocuments() {
    }

    static Document document(Exchange e, TeacherMemory.Keys keys) {
        Document doc = new Document();
        doc.add(new StringField(ID, e.id(), Field.Store.YES));
        doc.add(new StringField(TENANT, e.tenant(), Field.Store.YES));
        doc.add(new StringField(CONTEXT, e.contextKey(), Field.Store.YES));
        doc.add(new StringField(SCOPE, keys.scope(), Field.Store.NO));
        doc.add(new StringField(SHAPE, keys.shape(), Field.Store.NO));
        doc.add(new StringField(CORE, keys.core(), Field.Store.NO));
        for (String span : keys.spans()) {
            doc.add(new StringField(SPAN, span, Field.Store.NO));
        }
        if (e.prompt() != null) {
            doc.add(new StoredField(PROMPT, e.prompt()));
        }
        doc.add(new StoredField(ANSWER, e.answer()));
        doc.add(new StoredField(STOP, e.stopReason()));
        doc.add(new StoredField(MODEL, e.model()));
        doc.add(new StoredField(TOKENS, e.outputTokens()));
        doc.add(new StoredField(CREATED, e.createdAt().toString()));
        // Multi-valued fields keep their order.
        e.prefixes().forEach(p -> doc.add(new StoredField(PREFIXES, p)));
        e.suffixes().forEach(p -> doc.add(new StoredField(SUFFIXES, p)));
        return doc;
    }

    static Exchange read(Document d) {
        return new Exchange(d.get(ID), d.get(TENANT), d.get(CONTEXT), d.get(PROMPT), d.get(ANSWER), d.get(STOP),
                d.get(MODEL), d.getField(TOKENS).numericValue().longValue(), Instant.parse(d.get(CREATED)),
                List.of(d.getValues(PREFIXES)), List.of(d.getValues(SUFFIXES)));
    }

    /**
     * An index from before tenants cannot say whose traffic each answer came from, so none of it may be served;
     * it is moved aside (not deleted) and the memory starts empty.
     */
    static void setAsideOldFormat(Path dir) throws IOException {
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
}
