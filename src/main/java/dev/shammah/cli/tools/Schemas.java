package dev.shammah.cli.tools;

import dev.shammah.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/** Tool definitions in the Messages API's shape. */
final class Schemas {
    private Schemas() {
    }

    /** A tool taking string properties; {@code props} alternates name, description; the first is required. */
    static JsonObject tool(String name, String description, String... props) {
        JsonObjectBuilder properties = Json.createObjectBuilder();
        for (int i = 0; i < props.length; i += 2) {
            properties.add(props[i], Json.createObjectBuilder().add("type", "string").add("description", props[i + 1]));
        }
        return Json.createObjectBuilder()
                .add("name", name)
                .add("description", description)
                .add("input_schema", Json.createObjectBuilder()
                        .add("type", "object")
                        .add("properties", properties)
                        .add("required", Json.createArrayBuilder().add(props[0])))
                .build();
    }
}
