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

/**
 * {@code grep}: lines matching a regular expression in files under a directory. Approvals match
 * {@code PATTERN in PATH}, the path resolved: what is searched is approved, not only what is searched for.
 */
public final class GrepTool implements Tool {
    static final int MAX_MATCHES = 100;
    static final long MAX_FILE_BYTES = 2L * 1024 * 1024;
    static final String IN = " in ";

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
    public Call prepare(JsonObject input, Path workingDir) {
        String regex = Tool.requiredString(input, "pattern");
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad regular expression: " + e.getDescription());
        }
        String given = input.get("path") instanceof JsonString s ? s.getString() : ".";
        WorkingDirectory dir = new WorkingDirectory(workingDir);
        return new PathCall(dir, given, dir.resolve(given), "grep ") {
            @Override
            public String argument() {
                return regex + IN + super.argument();
            }

            @Override
            String pathPart(String rulePattern) {
                int at = rulePattern.lastIndexOf(IN);
                return at < 0 ? "" : rulePattern.substring(at + IN.length());
            }

            @Override
            ToolResult read(Path root) throws IOException {
                return search(pattern, root, dir());
            }
        };
    }

    private static ToolResult search(Pattern pattern, Path root, WorkingDirectory dir) throws IOException {
        StringBuilder out = new StringBuilder();
        int count = 0;
        try (Stream<Path> s = Files.isDirectory(root) ? Files.walk(root) : Stream.of(root)) {
            for (Path f : (Iterable<Path>) s.filter(f -> within(f, root)).sorted()::iterator) {
                if (count >= MAX_MATCHES) {
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
                for (int i = 0; i < lines.size() && count < MAX_MATCHES; i++) {
                    if (pattern.matcher(lines.get(i)).find()) {
                        out.append(dir.name(f)).append(':').append(i + 1).append(':')
                                .append(Tool.cap(lines.get(i), 300)).append('\n');
                        count++;
                    }
                }
            }
        }
        if (count == 0) {
            return ToolResult.ok("No matches.");
        }
        return ToolResult.ok(count >= MAX_MATCHES ? out + "… [stopped at " + MAX_MATCHES + " matches]" : out.toString());
    }

    /**
     * A regular file that is really under the approved root. The walk does not enter linked directories, but a
     * linked file would be read through its link: it counts only if its target is under the root too.
     */
    private static boolean within(Path f, Path root) {
        if (!Files.isRegularFile(f)) {
            return false;
        }
        if (!Files.isSymbolicLink(f)) {
            return true;
        }
        try {
            return f.toRealPath().startsWith(root);
        } catch (IOException e) {
            return false;
        }
    }
}
