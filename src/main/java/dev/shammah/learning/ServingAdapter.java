package dev.shammah.learning;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Logger;

import ai.djl.ndarray.NDManager;
import dev.shammah.local.hf.HfGenerator;
import dev.shammah.local.hf.LoraAdapter;

/**
 * Which LoRA adapter the user's model decodes with ("base" for none), and the swap to another: one kept on disk
 * ({@link #install}), or one just trained ({@link #swapIn}). A swap lands between two tokens of a generation in
 * progress, so the arrays of the adapters it replaced stay open for two more swaps. The {@link LoraTrainer} calls
 * {@link #install} and {@link #swapIn} under its lock, and {@link #loadPromoted} once, from its constructor, before
 * its training thread starts.
 */
final class ServingAdapter {
    private static final Logger LOG = Logger.getLogger(ServingAdapter.class.getName());

    private final HfGenerator model;
    private final AdapterStore store;
    /** Managers of promoted adapters still possibly in use by a generation: the newest few stay open. */
    private final Deque<NDManager> retired = new ArrayDeque<>();
    private volatile String name = "base";

    ServingAdapter(HfGenerator model, AdapterStore store) {
        this.model = model;
        this.store = store;
    }

    /** The adapter answering now ("base" for none): the router's evidence is kept per adapter. */
    String name() {
        return name;
    }

    /** At start: the adapter named in PROMOTED, if any loads; the base model otherwise. */
    void loadPromoted() {
        try {
            var promoted = store.promoted();
            if (promoted.isEmpty()) {
                return;
            }
            install(promoted.get());
        } catch (IOException | RuntimeException e) {
            LOG.warning("The promoted LoRA adapter could not be loaded (" + e.getMessage() + "); serving the base "
                    + "model");
        }
    }

    /** Loads a kept adapter ("base": none) beside the serving one and swaps it in. */
    void install(String adapter) {
        if (adapter.equals("base")) {
            model.decoder().adapter(null);
            name = "base";
            return;
        }
        NDManager m = model.manager().newSubManager();
        try {
            model.decoder().adapter(LoraAdapter.load(store.path(adapter), model.config(), m));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        retire(m);
        name = adapter;
    }

    /** Swaps in an adapter just trained and promoted as {@code adapter}, whose arrays {@code m} holds. */
    void swapIn(LoraAdapter trained, NDManager m, String adapter) {
        model.decoder().adapter(trained);
        name = adapter;
        retire(m);
    }

    /** Keeps a serving adapter's arrays; those two swaps old are freed (no generation step still reads them). */
    private void retire(NDManager m) {
        retired.addLast(m);
        while (retired.size() > 3) {
            retired.removeFirst().close();
        }
    }
}
