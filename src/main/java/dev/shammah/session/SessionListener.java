package dev.shammah.session;

/** Told when sessions come and go (by id), so metrics need not poll the store. */
public interface SessionListener {
    SessionListener NONE = new SessionListener() {
    };

    default void created(String id) {
    }

    default void expired(String id) {
    }

    default void deleted(String id) {
    }

    default void evicted(String id) {
    }
}
