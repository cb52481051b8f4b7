package dev.shammah.cli.tools;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

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

    public Tool tool(String name) {
        return tools.get(name);
    }

    /** Runs one {@code tool_use} block if approved; returns its {@code tool_result} block. */
    public JsonObject execute(JsonObject toolUse, Approver approver) {
        String id = toolUse.getString("id", "");
        Tool tool = tools.get(toolUse.getString("name", ""));
        JsonObject input = toolUse.getJsonObject("input");
        Tool.ToolResult result;
        if (tool == null) {
            result = Tool.ToolResult.failed("Unknown tool '" + toolUse.getString("name", "") + "'");
        } else {
            try {
                tool.argument(input);
                result = approver.approve(tool, input) ? tool.run(input, workingDir)
                        : Tool.ToolResult.failed("The user denied this tool call.");
            } catch (IllegalArgumentException e) {
                result = Tool.ToolResult.failed("Bad input for " + tool.name() + ": " + e.getMessage());
            }
        }
        return Json.createObjectBuilder()
                .add("type", "tool_result")
                .add("tool_use_id", id)
                .add("content", result.content())
                .add("is_error", result.error())
                .build();
    }
}
