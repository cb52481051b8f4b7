package dev.shammah.local;

/** Turns text into a unit-length embedding; cosine similarity is then a dot product. */
public interface Encoder extends AutoCloseable {
    float[] embed(String text);

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    @Override
    void close();
}
