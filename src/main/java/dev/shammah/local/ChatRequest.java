package dev.shammah.local;

import java.util.List;

/**
 * What a generator is asked: the conversation as text turns (system prompt apart), and the Messages API's sampling
 * parameters.
 *
 * @param topK 0 for no limit
 * @param topP 1 for no limit
 */
public record ChatRequest(String system, List<Turn> turns, int maxTokens, double temperature, int topK, double topP,
                          List<String> stopSequences) {
    /** One message's text; role is "user" or "assistant". */
    public record Turn(String role, String text) {
    }

    public ChatRequest {
        turns = List.copyOf(turns);
        stopSequences = List.copyOf(stopSequences);
    }

    /** The conversation as one plain text, for models without a chat template. */
    public String plainText() {
        StringBuilder s = new StringBuilder();
        if (system != null && !system.isEmpty()) {
            s.append(system).append("\n\n");
        }
        for (Turn t : turns) {
            s.append(t.text()).append('\n');
        }
        return s.toString().strip();
    }
}
