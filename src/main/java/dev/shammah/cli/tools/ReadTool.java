package dev.shammah.cli.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

import jakarta.json.JsonObject;

/** {@code read}: a file's text (capped) or a directory's listing. */
public final class ReadTool implements Tool {
    static final int MAX_CHARS = 64 * 1024;
    static final int MAX_ENTRIES = 500;

    @Override
    public String name() {
        return "read";
    }

    @Override
    public JsonObject definition() {
        return Schemas.tool(name(), "Read a text file, or list a directory. Paths are relative to the working "
                + "directory. Output is capped at 64 KB.", "path", "file or directory path");
    }

    @Override
    public Call prepare(JsonObject input, Path workingDir) {
        String given = Tool.requiredString(input, "path");
        WorkingDirectory dir = new WorkingDirectory(workingDir);
        return new PathCall(dir, given, dir.resolve(given), "read ") {
            @Override
            ToolResult read(Path p) throws IOException {
                if (Files.isDirectory(p)) {
                    StringBuilder sb = new StringBuilder();
                    try (Stream<Path> s = Files.list(p)) {
                        s.sorted().limit(MAX_ENTRIES).forEach(e -> sb.append(e.getFileName())
                                .append(Files.isDirectory(e) ? "/" : "").append('\n'));
                    }
                    return ToolResult.ok(sb.toString());
                }
                if (!Files.isRegularFile(p)) {
                    return ToolResult.failed("No such file or directory: " + target().shown());
                }
                byte[] bytes;
                // The path is real already: a link put in its place since must not be followed.
                try (var in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                    bytes = in.readNBytes(MAX_CHARS * 4 + 1);
                }
                return ToolResult.ok(Tool.cap(new String(bytes, StandardCharsets.UTF_8), MAX_CHARS));
            }
        };
    }
}
