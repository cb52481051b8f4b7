package dev.shammah.session;

/** Told when sessions come and go, so metrics need not poll the store. */
public interface SessionListener {
    SessionListener NONE = new SessionListener() {
    };

    default void created(Session session) {
    }

    default void expired(Session session) {
    }

    default void deleted(Session session) {
    }

    default void evicted(Session session) {
    }
}
