package dev.shammah.local.hf;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.shammah.json.Json;
import dev.shammah.local.ChatRequest;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The model's own chat template ({@code chat_template} in tokenizer_config.json, Jinja) rendered with HubSpot's
 * Jinjava — the prompt the model was trained to continue, special tokens included as text. A folder without a
 * template gets a plain "role: text" layout ending in "assistant:", which a base model can still continue.
 */
public final class ChatTemplate {
    private final String template;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinja;

    private ChatTemplate(String template, String bosToken, String eosToken) {
        this.template = template;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.jinja = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(false).withLstripBlocks(false).build());
        // HF templates call raise_exception('…') on conversations they do not accept.
        jinja.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplate.class,
                "raiseException", String.class));
    }

    public static ChatTemplate read(Path dir) {
        Path file = dir.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(file)) {
            return new ChatTemplate(null, "", "");
        }
        JsonObject json;
        try (JsonReader r = Json.createReader(new StringReader(Files.readString(file)))) {
            json = r.readObject();
        } catch (IOException | RuntimeException e) {
            throw new ModelFolderException(file + " is not readable JSON (" + e.getMessage() + ")", e);
        }
        String template = null;
        JsonValue t = json.get("chat_template");
        if (t instanceof JsonString s) {
            template = s.getString();
        } else if (t instanceof JsonArray named) {
            // [{"name": "default", "template": "…"}, {"name": "tool_use", …}]
            for (JsonValue v : named) {
                JsonObject o = v.asJsonObject();
                if (template == null || "default".equals(o.getString("name", ""))) {
                    template = o.getString("template", null);
                }
            }
        }
        return new ChatTemplate(template, token(json.get("bos_token")), token(json.get("eos_token")));
    }

    public String render(ChatRequest request) {
        List<Map<String, Object>> messages = new ArrayList<>();
        if (request.system() != null && !request.system().isEmpty()) {
            messages.add(Map.of("role", "system", "content", request.system()));
        }
        for (ChatRequest.Turn turn : request.turns()) {
            messages.add(Map.of("role", turn.role(), "content", turn.text()));
        }
        if (template == null) {
            StringBuilder s = new StringBuilder();
            for (Map<String, Object> m : messages) {
                s.append(m.get("role")).append(": ").append(m.get("content")).append('\n');
            }
            return s.append("assistant:").toString();
        }
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("messages", messages);
        bindings.put("add_generation_prompt", true);
        bindings.put("bos_token", bosToken);
        bindings.put("eos_token", eosToken);
        RenderResult result = jinja.renderForResult(template, bindings);
        for (TemplateError e : result.getErrors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new IllegalArgumentException("The model's chat template refused this conversation: "
                        + e.getMessage());
            }
        }
        return result.getOutput();
    }

    /** Called from templates: {@code raise_exception('Conversation roles must alternate …')}. */
    public static String raiseException(String message) {
        throw new IllegalArgumentException(message);
    }

    private static String token(JsonValue v) {
        if (v instanceof JsonString s) {
            return s.getString();
        }
        if (v instanceof JsonObject o && o.get("content") instanceof JsonString s) {
            return s.getString();
        }
        return "";
    }
}
