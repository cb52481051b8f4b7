package dev.shammah.cli.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A call on one path ({@code read}, {@code grep}), resolved before approval: the approval matches the resolved
 * path, a path outside the working directory takes a pattern that names an absolute path, and the run opens the
 * path that was approved — refusing if it now resolves elsewhere (a link swapped in meanwhile).
 */
abstract class PathCall implements Tool.Call {
    private final WorkingDirectory dir;
    private final String given;
    private final WorkingDirectory.Target target;
    private final String verb;

    PathCall(WorkingDirectory dir, String given, WorkingDirectory.Target target, String verb) {
        this.dir = dir;
        this.given = given;
        this.target = target;
        this.verb = verb;
    }

    WorkingDirectory.Target target() {
        return target;
    }

    WorkingDirectory dir() {
        return dir;
    }

    /** What approvals match; {@code grep} puts its pattern in front. */
    @Override
    public String argument() {
        return target.shown();
    }

    @Override
    public String describe() {
        String note = given.equals(target.shown()) ? "" : " (given as " + given + ")";
        return verb + argument() + note + (target.inside() ? "" : " [outside the working directory]");
    }

    @Override
    public String unusual() {
        return target.inside() ? null : target.path() + " is outside the working directory";
    }

    @Override
    public boolean namedBy(ToolPatterns.Rule rule) {
        return WorkingDirectory.namesOutside(pathPart(rule.pattern()));
    }

    /** The part of a pattern that matches the path. */
    String pathPart(String pattern) {
        return pattern;
    }

    @Override
    public final Tool.ToolResult run(Approver approver) {
        if (!dir.resolve(given).path().equals(target.path())) {
            return Tool.ToolResult.failed(given + " resolves to another file than the one approved ("
                    + target.shown() + "); not run");
        }
        try {
            return read(target.path());
        } catch (IOException | UncheckedIOException e) {
            return Tool.ToolResult.failed("Cannot read " + target.shown() + ": " + e.getMessage());
        }
    }

    abstract Tool.ToolResult read(Path path) throws IOException;
}
