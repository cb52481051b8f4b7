package dev.shammah.cli.tools;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import dev.shammah.json.Json;
import dev.shammah.persist.AtomicFiles;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Remembered tool approvals, in {@code ~/.shammah/tool_patterns.json}: a call runs without asking when its tool
 * and argument match a pattern. Patterns are globs ({@code git status*}: {@code *} any text, {@code ?} one
 * character) or, with a {@code regex:} prefix, Java regular expressions matched against the whole argument.
 * A pattern that matches still covers a call only if it also names what is unusual about it
 * ({@link Tool.Call#unusual()}), such as a path outside the working directory.
 */
public final class ToolPatterns {
    /** One remembered approval. */
    public record Rule(String tool, String pattern) {
        boolean matches(String argument) {
            return regex(pattern).matcher(argument).matches();
        }

        /** Whether this rule lets {@code call} of tool {@code toolName} run without asking. */
        boolean covers(String toolName, Tool.Call call) {
            return (tool.equals("*") || tool.equals(toolName)) && matches(call.argument())
                    && (call.unusual() == null || call.namedBy(this));
        }

        @Override
        public String toString() {
            return tool + " " + pattern;
        }
    }

    private final Path file;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    public ToolPatterns(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try {
                JsonObject json = Json.createReader(new StringReader(Files.readString(file))).readObject();
                for (JsonValue v : json.getJsonArray("patterns")) {
                    JsonObject o = v.asJsonObject();
                    rules.add(new Rule(o.getString("tool"), o.getString("pattern")));
                }
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("Cannot read tool patterns from " + file + ": " + e.getMessage(), e);
            }
        }
    }

    public List<Rule> rules() {
        return List.copyOf(rules);
    }

    /** Whether a remembered rule lets this call run without asking. */
    public boolean allows(String tool, Tool.Call call) {
        return rules.stream().anyMatch(r -> r.covers(tool, call));
    }

    /** Adds a rule and saves; a bad regular expression is refused with the reason. */
    public void add(String tool, String pattern) {
        regex(pattern);
        rules.add(new Rule(tool, pattern));
        save();
    }

    /** Removes rule {@code index} (1-based, as listed); false if there is none. */
    public boolean remove(int index) {
        if (index < 1 || index > rules.size()) {
            return false;
        }
        rules.remove(index - 1);
        save();
        return true;
    }

    private void save() {
        JsonArrayBuilder list = Json.createArrayBuilder();
        new ArrayList<>(rules).forEach(r -> list.add(Json.createObjectBuilder().add("tool", r.tool())
                .add("pattern", r.pattern())));
        String json = Json.createObjectBuilder().add("patterns", list).build().toString();
        try {
            AtomicFiles.write(file, json);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save tool patterns to " + file, e);
        }
    }

    static Pattern regex(String pattern) {
        if (pattern.startsWith("regex:")) {
            return Pattern.compile(pattern.substring(6), Pattern.DOTALL);
        }
        StringBuilder sb = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(sb.toString(), Pattern.DOTALL);
    }
}
