package dev.shammah.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

import dev.shammah.json.Json;
import dev.shammah.local.ChatRequest;
import dev.shammah.local.UserModel;
import dev.shammah.local.hf.HfGenerator;
import jakarta.json.JsonObject;

/**
 * The local models a client may ask for by name ({@code shammah-local}: the user's Hugging Face model;
 * {@code shammah-user}: a TorchScript model), run through
 * the {@link ModelRunner} (permit and model thread). The recall answers the router chooses are not here: they
 * replay stored text and use no model.
 */
public final class LocalModels implements AutoCloseable {
    private final UserModel userModel;
    private final HfGenerator generator;
    private final ModelRunner runner;

    public LocalModels(UserModel userModel, HfGenerator generator, ModelRunner runner) {
        this.userModel = userModel;
        this.generator = generator;
        this.runner = runner;
    }

    /** The user's Hugging Face model ({@code shammah-local}), or null. */
    public HfGenerator generator() {
        return generator;
    }

    /** The user's own model, or null. */
    public UserModel userModel() {
        return userModel;
    }

    public ModelRunner runner() {
        return runner;
    }

    /** The local models as {@code GET /v1/models} lists them beside the upstream's, "created" when this process started. */
    public List<JsonObject> listed(Instant startedAt) {
        List<JsonObject> out = new ArrayList<>();
        if (generator != null) {
            out.add(listing(HfGenerator.ID, "Your model (local, " + generator.config().architecture() + ", "
                    + generator.directory() + ")", startedAt));
        }
        if (userModel != null) {
            out.add(listing(UserModel.ID, "Your model (local, " + userModel.directory() + ")", startedAt));
        }
        return List.copyOf(out);
    }

    private static JsonObject listing(String id, String name, Instant startedAt) {
        return Json.createObjectBuilder().add("type", "model").add("id", id).add("display_name", name)
                .add("created_at", startedAt.toString()).build();
    }

    /** Whether {@code model} names one of the local models clients may ask for directly. */
    public static boolean isLocalModelName(String model) {
        return UserModel.ID.equals(model) || HfGenerator.ID.equals(model);
    }

    /** Why a request for a local model by name cannot be answered now; null if it can. */
    public String unavailable(String model) {
        if (HfGenerator.ID.equals(model)) {
            return generator != null ? null : "No local generator is configured: set model.path to a Hugging Face "
                    + "model folder (config.json, model.safetensors, tokenizer.json)";
        }
        return userModel != null ? null : "No user model is configured: set model.path to a directory with a "
                + "TorchScript .pt file and tokenizer.json";
    }

    /** Starts generating with the named model; null when no permit came in time. */
    public ModelRunner.Generation start(String model, ChatRequest request) {
        String prompt = request.plainText();
        Supplier<Iterator<String>> tokens = switch (model) {
            case HfGenerator.ID -> () -> generator.generate(request);
            default -> () -> userModel.generate(prompt, null);
        };
        return runner.start(tokens, request.maxTokens());
    }

    @Override
    public void close() {
        runner.close();
        if (userModel != null) {
            userModel.close();
        }
        if (generator != null) {
            generator.close();
        }
    }
}
