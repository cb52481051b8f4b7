package dev.shammah.local;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import dev.shammah.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Answers with the teacher's stored answer to an equivalent request in an equivalent context — what turns
 * repeated traffic local. It has no opinion of its own: the router decides whether the stored exchange is
 * equivalent enough.
 */
public final class RecallModel implements LocalModel {
    public static final String ID = "shammah-recall";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Iterator<String> generate(String prompt, Exchange candidate) {
        return pieces(text(candidate)).iterator();
    }

    /** The text of a stored answer; empty if it has anything but text blocks. */
    public static String text(Exchange e) {
        JsonArray content = Json.createReader(new StringReader(e.answer())).readArray();
        StringBuilder sb = new StringBuilder();
        for (JsonValue v : content) {
            JsonObject block = v.asJsonObject();
            if (!"text".equals(block.getString("type", ""))) {
                return "";
            }
            sb.append(block.getString("text", ""));
        }
        return sb.toString();
    }

    /** Whether the stored answer is text only (tool calls are not replayed). */
    public static boolean replayable(Exchange e) {
        return !text(e).isEmpty();
    }

    /** Word-sized pieces that keep their leading whitespace, so they concatenate back to the text exactly. */
    public static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = 1; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i)) && !Character.isWhitespace(text.charAt(i - 1))) {
                out.add(text.substring(from, i));
                from = i;
            }
        }
        if (from < text.length()) {
            out.add(text.substring(from));
        }
        return out;
    }
}
