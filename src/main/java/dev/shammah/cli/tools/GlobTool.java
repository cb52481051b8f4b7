package dev.shammah.cli.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

import jakarta.json.JsonObject;

/**
 * {@code glob}: files under the working directory whose relative path matches a glob. It lists names only and
 * never leaves the directory: the walk does not enter linked directories, and a pattern is matched against
 * paths relative to the directory, so {@code ../*} or {@code /etc/*} match nothing.
 */
public final class GlobTool implements Tool {
    static final int MAX_RESULTS = 200;

    @Override
    public String name() {
        return "glob";
    }

    @Override
    public JsonObject definition() {
        return Schemas.tool(name(), "Find files whose path (relative to the working directory) matches a glob "
                + "such as **/*.java. At most 200 results.", "pattern", "glob pattern");
    }

    @Override
    public Call prepare(JsonObject input, Path workingDir) {
        String glob = Tool.requiredString(input, "pattern");
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad glob: " + e.getMessage());
        }
        Path root = new WorkingDirectory(workingDir).root();
        return new Call() {
            @Override
            public String argument() {
                return glob;
            }

            @Override
            public String describe() {
                return "glob " + glob;
            }

            @Override
            public ToolResult run(Approver approver) {
                return find(matcher, root);
            }
        };
    }

    private static ToolResult find(PathMatcher matcher, Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            List<String> hits = s.filter(Files::isRegularFile)
                    .map(root::relativize)
                    .filter(matcher::matches)
                    .map(Path::toString)
                    .sorted()
                    .limit(MAX_RESULTS + 1L)
                    .toList();
            String out = String.join("\n", hits.subList(0, Math.min(MAX_RESULTS, hits.size())));
            return ToolResult.ok(hits.size() > MAX_RESULTS ? out + "\n… [more than " + MAX_RESULTS + " matches]"
                    : hits.isEmpty() ? "No matches." : out);
        } catch (IOException | UncheckedIOException e) {
            return ToolResult.failed("glob failed: " + e.getMessage());
        }
    }
}
