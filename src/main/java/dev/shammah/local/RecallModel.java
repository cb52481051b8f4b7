package dev.shammah.local;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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

    /**
     * Texts of stored answers already read, by the answer's JSON: a repeat is asked whether its exchange is
     * replayable and then for its text, each a parse of the same JSON, on every local answer. Bounded by characters
     * held, so a few long answers cannot crowd memory.
     */
    private static final Cache<String, String> TEXTS = Caffeine.newBuilder().executor(Runnable::run)
            .maximumWeight(8_000_000).weigher((String answer, String text) -> answer.length() + text.length())
            .build();

    /** The text of a stored answer; empty if it has anything but text blocks. */
    public static String text(Exchange e) {
        String answer = e.answer();
        String text = TEXTS.getIfPresent(answer);
        if (text == null) {
            text = parseText(answer);
            TEXTS.put(answer, text);
        }
        return text;
    }

    private static String parseText(String answer) {
        JsonArray content = Json.createReader(new StringReader(answer)).readArray();
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
