package dev.shammah.engine;

import java.util.Iterator;
import java.util.function.Supplier;

import dev.shammah.local.ChatRequest;
import dev.shammah.local.StudentModel;
import dev.shammah.local.hf.HfGenerator;
import dev.shammah.local.StudentTrainer;
import dev.shammah.local.UserModel;

/**
 * The local models a client may ask for by name ({@code shammah-local}: the user's Hugging Face model;
 * {@code shammah-user}: a TorchScript model; {@code shammah-student}), run through
 * the {@link ModelRunner} (permit and model thread). The recall answers the router chooses are not here: they
 * replay stored text and use no model.
 */
public final class LocalModels implements AutoCloseable {
    private final Student student;
    private final UserModel userModel;
    private final HfGenerator generator;
    private final ModelRunner runner;

    /** The trained student and its trainer, or {@link #NONE} when disabled. */
    public record Student(StudentModel model, StudentTrainer trainer) {
        public static final Student NONE = new Student(null, null);

        public boolean present() {
            return model != null;
        }
    }

    public LocalModels(Student student, UserModel userModel, ModelRunner runner) {
        this(student, userModel, null, runner);
    }

    public LocalModels(Student student, UserModel userModel, HfGenerator generator, ModelRunner runner) {
        this.student = student;
        this.userModel = userModel;
        this.generator = generator;
        this.runner = runner;
    }

    /** The user's Hugging Face model ({@code shammah-local}), or null. */
    public HfGenerator generator() {
        return generator;
    }

    public Student student() {
        return student;
    }

    /** The user's own model, or null. */
    public UserModel userModel() {
        return userModel;
    }

    public ModelRunner runner() {
        return runner;
    }

    /** Whether {@code model} names one of the local models clients may ask for directly. */
    public static boolean isLocalModelName(String model) {
        return StudentModel.ID.equals(model) || UserModel.ID.equals(model) || HfGenerator.ID.equals(model);
    }

    /** Why a request for a local model by name cannot be answered now; null if it can. */
    public String unavailable(String model) {
        if (StudentModel.ID.equals(model)) {
            if (!student.present()) {
                return "The student model is disabled (learning.enabled, model.student.enabled)";
            }
            return student.model().serving().isPresent() ? null : "The student model has no checkpoint yet: it "
                    + "trains in the background on forwarded answers (model.student.enabled); see "
                    + "GET /v1/training/status";
        }
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
            case StudentModel.ID -> () -> student.model().generate(prompt, null);
            case HfGenerator.ID -> () -> generator.generate(request);
            default -> () -> userModel.generate(prompt, null);
        };
        return runner.start(tokens, request.maxTokens());
    }

    @Override
    public void close() {
        runner.close();
        if (student.present()) {
            student.trainer().close();
            student.model().close();
        }
        if (userModel != null) {
            userModel.close();
        }
        if (generator != null) {
            generator.close();
        }
    }
}
