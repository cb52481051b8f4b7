package dev.shammah.local;

/** How a generation ended and what it counted, in the model's own tokens. */
public interface GenerationOutcome {
    /** "end_turn", "max_tokens" or "stop_sequence"; null while it runs or when the model cannot say. */
    String stopReason();

    /** The stop sequence that ended it, or null. */
    String stopSequence();

    /** Prompt tokens as the model's tokenizer counts them; -1 when unknown. */
    long inputTokens();
}
