package dev.shammah.testsupport;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

/** Parsing for assertions. */
public final class JsonText {
    private JsonText() {
    }

    public static JsonObject parse(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    public static JsonArray parseArray(String text) {
        return Json.createReader(new StringReader(text)).readArray();
    }
}
