package dev.shammah.routing;

import dev.shammah.local.Encoder;

/**
 * Scores a local answer against the teacher's answer to the same request. Score = mean of the embedding
 * cosine of the two answers (meaning) and ROUGE-L F1 (wording); the pair passes at {@code passScore}.
 * Both parts matter: cosine alone accepts a fluent answer about the right topic with the wrong facts,
 * ROUGE-L alone rejects a correct answer worded differently.
 */
public final class Validator {
    private final Encoder encoder;
    private final double passScore;

    public Validator(Encoder encoder, double passScore) {
        this.encoder = encoder;
        this.passScore = passScore;
    }

    /** A scored comparison. */
    public record Verdict(double cosine, double rougeL, double score, boolean pass) {
    }

    public Verdict compare(String local, String teacher) {
        double cosine = local.equals(teacher) ? 1.0 : Encoder.cosine(encoder.embed(local), encoder.embed(teacher));
        double rouge = RougeL.f1(local, teacher);
        double score = (Math.max(0, cosine) + rouge) / 2;
        return new Verdict(cosine, rouge, score, score >= passScore);
    }

    public double passScore() {
        return passScore;
    }
}
