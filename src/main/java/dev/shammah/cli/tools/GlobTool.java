package dev.shammah.cli.tools;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

import jakarta.json.JsonObject;

/** {@code glob}: files under the working directory whose relative path matches a glob. */
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
    public String argument(JsonObject input) {
        return Tool.requiredString(input, "pattern");
    }

    @Override
    public String describe(JsonObject input) {
        return "glob " + argument(input);
    }

    @Override
    public ToolResult run(JsonObject input, Path workingDir) {
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + argument(input));
        } catch (IllegalArgumentException e) {
            return ToolResult.failed("Bad glob: " + e.getMessage());
        }
        try (Stream<Path> s = Files.walk(workingDir)) {
            List<String> hits = s.filter(Files::isRegularFile)
                    .map(workingDir::relativize)
                    .filter(matcher::matches)
                    .map(Path::toString)
                    .sorted()
                    .limit(MAX_RESULTS + 1L)
                    .toList();
            String out = String.join("\n", hits.subList(0, Math.min(MAX_RESULTS, hits.size())));
            return ToolResult.ok(hits.size() > MAX_RESULTS ? out + "\n… [more than " + MAX_RESULTS + " matches]"
                    : hits.isEmpty() ? "No matches." : out);
        } catch (IOException | java.io.UncheckedIOException e) {
            return ToolResult.failed("glob failed: " + e.getMessage());
        }
    }
}
