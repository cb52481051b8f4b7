package dev.shammah.upstream;

/**
 * One server-sent event as Anthropic uses them: an event name and one JSON data payload.
 *
 * @param event the {@code event:} field (e.g. {@code content_block_delta}); empty if the event had none
 * @param data  the {@code data:} field, lines joined with {@code \n}
 */
public record SseEvent(String event, String data) {
    /** The wire form, ending with the blank line that dispatches it. */
    public String encode() {
        StringBuilder sb = new StringBuilder(data.length() + event.length() + 16);
        if (!event.isEmpty()) {
            sb.append("event: ").append(event).append('\n');
        }
        for (String line : data.split("\n", -1)) {
            sb.append("data: ").append(line).append('\n');
        }
        return sb.append('\n').toString();
    }
}
