package dev.shammah.local;

import java.io.IOException;

import dev.shammah.persist.PrivateFiles;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

/**
 * The teacher memory's Lucene directory, with every file it creates made 0600: the index holds prompts and
 * answers, and Lucene creates files with the process's umask.
 */
final class PrivateDirectory extends FilterDirectory {
    private final FSDirectory fs;

    PrivateDirectory(FSDirectory fs) {
        super(fs);
        this.fs = fs;
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
        IndexOutput out = super.createOutput(name, context);
        PrivateFiles.restrict(fs.getDirectory().resolve(out.getName()));
        return out;
    }

    @Override
    public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
        IndexOutput out = super.createTempOutput(prefix, suffix, context);
        PrivateFiles.restrict(fs.getDirectory().resolve(out.getName()));
        return out;
    }
}
