package dev.shammah.cli.tools;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import dev.shammah.json.Json;
import dev.shammah.persist.AtomicFiles;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Remembered tool approvals, in {@code ~/.shammah/tool_patterns.json}: a call runs without asking when its tool
 * and argument match a rule. A rule is literal (the argument exactly: what "remember exactly this" stores), a
 * glob ({@code git status*}: {@code *} any text, {@code ?} one character) or a Java regular expression matched
 * against the whole argument. Each is saved with its kind; files from before kinds existed hold only
 * {@code pattern} strings, read as they were meant: a {@code regex:} prefix for a regex, else a glob.
 *
 * <p>A glob or regex that matches still covers a call only if it also names what is unusual about it
 * ({@link Tool.Call#unusual()}): shell operators, a path outside the working directory, a private host.
 */
public final class ToolPatterns {
    /** How a rule's text is read. */
    public enum Kind {
        LITERAL, GLOB, REGEX;

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One remembered approval; {@code pattern} is the text of its kind (a regex without the prefix). */
    public record Rule(String tool, Kind kind, String pattern) {
        public Rule {
            if (kind != Kind.LITERAL) {
                regex(kind, pattern); // refuses a bad regex now, not at the next tool call
            }
        }

        /** A rule as a person types it: {@code regex:…} for a regex, anything else a glob. */
        public static Rule typed(String tool, String text) {
            return text.startsWith("regex:") ? new Rule(tool, Kind.REGEX, text.substring(6))
                    : new Rule(tool, Kind.GLOB, text);
        }

        boolean matches(String argument) {
            return kind == Kind.LITERAL ? pattern.equals(argument) : regex(kind, pattern).matcher(argument).matches();
        }

        /** Whether this rule lets {@code call} of tool {@code toolName} run without asking. */
        boolean covers(String toolName, Tool.Call call) {
            if (!(tool.equals("*") || tool.equals(toolName)) || !matches(call.argument())) {
                return false;
            }
            // A literal rule is the very argument a person approved, unusual parts and all.
            return kind == Kind.LITERAL || call.unusual() == null || call.namedBy(this);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case LITERAL -> tool + " exactly \"" + pattern + "\"";
                case GLOB -> tool + " " + pattern;
                case REGEX -> tool + " regex:" + pattern;
            };
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
                    String kind = o.getString("kind", null);
                    rules.add(kind == null ? Rule.typed(o.getString("tool"), o.getString("pattern"))
                            : new Rule(o.getString("tool"), Kind.valueOf(kind.toUpperCase(Locale.ROOT)),
                            o.getString("pattern")));
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

    /** Adds a rule as typed ({@code glob} or {@code regex:…}) and saves; a bad regex is refused with the reason. */
    public Rule add(String tool, String typed) {
        return add(Rule.typed(tool, typed));
    }

    public Rule add(Rule rule) {
        rules.add(rule);
        save();
        return rule;
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
                .add("kind", r.kind().json()).add("pattern", r.pattern())));
        String json = Json.createObjectBuilder().add("patterns", list).build().toString();
        try {
            AtomicFiles.write(file, json);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save tool patterns to " + file, e);
        }
    }

    static Pattern regex(Kind kind, String pattern) {
        if (kind == Kind.REGEX) {
            return Pattern.compile(pattern, Pattern.DOTALL);
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
