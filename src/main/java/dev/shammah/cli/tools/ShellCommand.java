package dev.shammah.cli.tools;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The shell syntax in a bash command that makes it more than one simple command: separators ({@code ; && || &}
 * newline, CR), pipes, command substitution ({@code $( ${ `}), redirections ({@code < >}) and subshells
 * ({@code ( )}). A remembered approval such as {@code git status*} was given for one command; anything found
 * here would run or feed other commands under its name.
 *
 * <p>Quotes are parsed as bash parses them: inside single quotes (and {@code $'…'}) nothing is special, so
 * {@code echo 'a;b'} is one simple command; inside double quotes {@code $(}, {@code ${} and backticks still
 * expand, so {@code echo "$(rm x)"} is not. An unquoted {@code #} at the start of a word begins a comment, whose
 * text is skipped up to the newline (which is itself reported). When the scan is unsure — an unterminated quote —
 * it reports {@link #UNTERMINATED}, which no pattern names.
 */
final class ShellCommand {
    /** Reported for a quote that never closes: bash would not run it as read, and neither do we approve it. */
    static final String UNTERMINATED = "unterminated quote";

    private ShellCommand() {
    }

    /** The operators found outside quotes, each once, in the order first seen; empty for one simple command. */
    static List<String> operators(String command) {
        Set<String> found = new LinkedHashSet<>();
        int n = command.length();
        int i = 0;
        while (i < n) {
            char c = command.charAt(i);
            char next = i + 1 < n ? command.charAt(i + 1) : 0;
            switch (c) {
                case '\\' -> i += 2;
                case '\'' -> i = singleQuoted(command, i + 1, found);
                case '"' -> i = doubleQuoted(command, i + 1, found);
                case '`' -> {
                    found.add("`");
                    i++;
                }
                case '$' -> {
                    switch (next) {
                        case '(', '{' -> {
                            found.add("$" + next);
                            i += 2;
                        }
                        case '\'' -> i = ansiCQuoted(command, i + 2, found);
                        case '"' -> i = doubleQuoted(command, i + 2, found);
                        default -> i++;
                    }
                }
                case '&', '|' -> {
                    found.add(next == c ? "" + c + c : String.valueOf(c));
                    i += next == c ? 2 : 1;
                }
                case ';', '<', '>', '(', ')', '\n', '\r' -> {
                    found.add(String.valueOf(c));
                    i++;
                }
                case '#' -> {
                    if (i == 0 || command.charAt(i - 1) == ' ' || command.charAt(i - 1) == '\t') {
                        int eol = command.indexOf('\n', i);
                        i = eol < 0 ? n : eol;
                    } else {
                        i++;
                    }
                }
                default -> i++;
            }
        }
        return List.copyOf(found);
    }

    /** Whether the command is one simple command. */
    static boolean isSimple(String command) {
        return operators(command).isEmpty();
    }

    private static int singleQuoted(String s, int from, Set<String> found) {
        int end = s.indexOf('\'', from);
        if (end < 0) {
            found.add(UNTERMINATED);
            return s.length();
        }
        return end + 1;
    }

    /** {@code $'…'}: like single quotes, but a backslash escapes the next character (a quote included). */
    private static int ansiCQuoted(String s, int from, Set<String> found) {
        for (int j = from; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '\'') {
                return j + 1;
            }
        }
        found.add(UNTERMINATED);
        return s.length();
    }

    /** Double quotes: substitutions still run inside them. */
    private static int doubleQuoted(String s, int from, Set<String> found) {
        int j = from;
        while (j < s.length()) {
            char c = s.charAt(j);
            char next = j + 1 < s.length() ? s.charAt(j + 1) : 0;
            if (c == '\\') {
                j += 2;
            } else if (c == '"') {
                return j + 1;
            } else if (c == '`') {
                found.add("`");
                j++;
            } else if (c == '$' && (next == '(' || next == '{')) {
                found.add("$" + next);
                j += 2;
            } else {
                j++;
            }
        }
        found.add(UNTERMINATED);
        return s.length();
    }
}
