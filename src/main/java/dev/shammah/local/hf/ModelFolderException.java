package dev.shammah.local.hf;

/**
 * A Hugging Face model folder Shammah cannot run: a missing file, an architecture it does not implement, a tensor
 * of the wrong shape. The message names the file and what is wrong; start-up turns it into a configuration error
 * (exit 78), since restarting cannot fix a folder.
 */
public final class ModelFolderException extends RuntimeException {
    public ModelFolderException(String message) {
        super(message);
    }

    public ModelFolderException(String message, Throwable cause) {
        super(message, cause);
    }
}
