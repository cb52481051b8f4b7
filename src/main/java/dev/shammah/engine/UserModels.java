package dev.shammah.engine;

import java.nio.file.Files;

import ai.djl.Device;
import dev.shammah.config.ConfigException;
import dev.shammah.config.LearningSettings;
import dev.shammah.local.UserModel;
import dev.shammah.local.hf.HfGenerator;
import dev.shammah.local.hf.ModelFolderException;

/**
 * The user's own model as {@code model.path} names it, loaded once at start: a Hugging Face folder (config.json) is
 * the generator {@code shammah-local}, a folder with a TorchScript .pt file the older {@link UserModel}; anything wrong
 * with the folder is a configuration error (exit 78) naming the file and the problem.
 */
public final class UserModels {
    private UserModels() {
    }

    /** The models {@code settings} name, behind one runner of {@code model.permits}. */
    public static LocalModels load(LearningSettings settings) {
        HfGenerator generator = generator(settings);
        return new LocalModels(generator == null ? userModel(settings) : null, generator,
                new ModelRunner(settings.permits(), settings.maxWait()));
    }

    /**
     * The user's Hugging Face model ({@code shammah-local}), when {@code model.path} is a folder with a config.json.
     * Anything wrong with the folder is a configuration error (exit 78) naming the file and the problem.
     */
    static HfGenerator generator(LearningSettings l) {
        if (l.userModelPath() == null || !Files.isRegularFile(l.userModelPath().resolve("config.json"))) {
            return null;
        }
        try {
            return new HfGenerator(l.userModelPath(), device(l.gpu()), l.userModelMaxTokens());
        } catch (ModelFolderException e) {
            String why = e.getMessage();
            throw new ConfigException("Invalid configuration: "
                    + (why.startsWith("model.path") ? why : "model.path: " + why), e);
        }
    }

    /** The user's TorchScript model, when {@code model.path} names a folder with a .pt file (and no config.json). */
    static UserModel userModel(LearningSettings l) {
        if (l.userModelPath() == null) {
            return null;
        }
        try {
            return new UserModel(l.userModelPath(), l.userModelEndToken(), l.userModelMaxTokens(), device(l.gpu()));
        } catch (RuntimeException e) {
            throw new ConfigException("Invalid configuration: model.path " + l.userModelPath()
                    + " cannot be loaded (" + e.getMessage() + ")", e);
        }
    }

    private static Device device(boolean gpu) {
        return gpu && ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }
}
