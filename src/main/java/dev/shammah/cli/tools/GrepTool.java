package dev.shammah.cli.tools;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/** {@code grep}: lines matching a regular expression in files under a directory. */
public final class GrepTool implements Tool {
    static final int MAX_MATCHES = 100;
    static final long MAX_FILE_BYTES = 2L * 1024 * 1024;

    @Override
    public String name() {
        return "grep";
    }

    @Override
    public JsonObject definition() {
        return Schemas.tool(name(), "Search files for lines matching a Java regular expression. At most 100 "
                + "matches, as path:line:text.", "pattern", "regular expression",
                "path", "file or directory to search (default: the working directory)");
    }

    @Override
    public String argument(JsonObject input) {
        return Tool.requiredString(input, "pattern");
    }

    @Override
    public String describe(JsonObject input) {
        return "grep " + argument(input) + " in " + path(input);
    }

    private static String path(JsonObject input) {
        return input.get("path") instanceof JsonString s ? s.getString() : ".";
    }

    @Override
    public ToolResult run(JsonObject input, Path workingDir) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(argument(input));
        } catch (PatternSyntaxException e) {
            return ToolResult.failed("Bad regular expression: " + e.getDescription());
        }
        Path root = workingDir.resolve(path(input)).normalize();
        StringBuilder out = new StringBuilder();
        int[] count = {0};
        try (Stream<Path> s = Files.isDirectory(root) ? Files.walk(root) : Stream.of(root)) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator) {
                if (count[0] >= MAX_MATCHES) {
                    break;
                }
                if (Files.size(f) > MAX_FILE_BYTES) {
                    continue;
                }
                List<String> lines;
                try {
                    lines = Files.readAllLines(f);
                } catch (MalformedInputException e) {
                    continue; // binary file
                }
                for (int i = 0; i < lines.size() && count[0] < MAX_MATCHES; i++) {
                    if (pattern.matcher(lines.get(i)).find()) {
                        out.append(workingDir.relativize(f)).append(':').append(i + 1).append(':')
                                .append(Tool.cap(lines.get(i), 300)).append('\n');
                        count[0]++;
                    }
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return ToolResult.failed("grep failed: " + e.getMessage());
        }
        if (count[0] == 0) {
            return ToolResult.ok("No matches.");
        }
        return ToolResult.ok(count[0] >= MAX_MATCHES ? out + "… [stopped at " + MAX_MATCHES + " matches]" : out.toString());
    }
}
