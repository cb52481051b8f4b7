package dev.shammah.store;

/** The shared store could not be reached, or refused what was asked of it: the caller forwards, drops or retries. */
public final class StoreUnavailable extends RuntimeException {
    StoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
