package dev.shammah.cli.tools;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import dev.shammah.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

/** The REPL's tools: their definitions for the request, and the execution of {@code tool_use} blocks. */
public final class ToolBox {
    private final Map<String, Tool> tools = new LinkedHashMap<>();
    private final Path workingDir;

    public ToolBox(Path workingDir, Duration commandTimeout) {
        this.workingDir = workingDir;
        for (Tool t : new Tool[] {new ReadTool(), new GlobTool(), new GrepTool(), new BashTool(commandTimeout),
            new FetchTool(Duration.ofSeconds(10))}) {
            tools.put(t.name(), t);
        }
    }

    public JsonArray definitions() {
        JsonArrayBuilder b = Json.createArrayBuilder();
        tools.values().forEach(t -> b.add(t.definition()));
        return b.build();
    }

    /**
     * Runs one {@code tool_use} block if approved; returns its {@code tool_result} block. Every call is resolved
     * first, and {@code shown} gets its description before it is approved — for a call it leads to (a
     * redirect) too — so the line a person reads is the call that runs.
     */
    public JsonObject execute(JsonObject toolUse, Approver approver, Consumer<String> shown) {
        Tool.ToolResult result = run(toolUse.getString("name", ""),
                toolUse.get("input") instanceof JsonObject o ? o : null, approver, shown);
        return Json.createObjectBuilder()
                .add("type", "tool_result")
                .add("tool_use_id", toolUse.getString("id", ""))
                .add("content", result.content())
                .add("is_error", result.error())
                .build();
    }

    private Tool.ToolResult run(String name, JsonObject input, Approver approver, Consumer<String> shown) {
        Tool tool = tools.get(name);
        if (tool == null) {
            shown.accept(name + " " + input);
            return Tool.ToolResult.failed("Unknown tool '" + name + "'");
        }
        Tool.Call call;
        try {
            call = tool.prepare(input, workingDir);
        } catch (IllegalArgumentException e) {
            shown.accept(name + " " + input);
            return Tool.ToolResult.failed("Bad input for " + name + ": " + e.getMessage());
        }
        Approver showing = (t, c) -> {
            shown.accept(c.describe());
            return approver.approve(t, c);
        };
        return showing.approve(tool, call) ? call.run(showing) : Tool.ToolResult.failed(approver.refusal());
    }
}
