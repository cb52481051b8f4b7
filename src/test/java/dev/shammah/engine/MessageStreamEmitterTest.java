package dev.shammah.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.shammah.testsupport.StreamGrammar;
import dev.shammah.upstream.MessageAssembler;
import dev.shammah.upstream.SseEvent;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The local-answer emitter speaks exactly the grammar forwarded streams use. */
class MessageStreamEmitterTest {
    static final class ListSink implements EventSink {
        final List<SseEvent> events = new ArrayList<>();
        int failAfter = Integer.MAX_VALUE;

        @Override
        public void open(Head head) {
        }

        @Override
        public void send(SseEvent event) {
            if (events.size() >= failAfter) {
                throw new ClientGoneException(null);
            }
            events.add(event);
        }
    }

    @Test
    void emitsTheGrammarAndTheAssembledMessageMatches() {
        ListSink sink = new ListSink();
        JsonObject returned = new MessageStreamEmitter(sink).emit("msg_local_1", "shammah-local", 7, 100,
                List.of("The", " answer", " is", " 42.").iterator(), null);
        StreamGrammar.check(sink.events);
        MessageAssembler a = new MessageAssembler();
        sink.events.forEach(a::accept);
        assertThat(a.complete(), is(true));
        assertThat(a.message(), is(returned));
        assertThat(returned.getJsonArray("content").getJsonObject(0).getString("text"), is("The answer is 42."));
        assertThat(returned.getString("stop_reason"), is("end_turn"));
        assertThat(returned.getJsonObject("usage").getInt("output_tokens"), is(4));
    }

    @Test
    void withoutASinkTheSameMessageIsAssembled() {
        List<String> tokens = List.of("The", " answer", " is", " 42.");
        JsonObject streamed = new MessageStreamEmitter(new ListSink()).emit("m", "local", 7, 3, tokens.iterator(), null);
        assertThat(new MessageStreamEmitter(null).emit("m", "local", 7, 3, tokens.iterator(), null), is(streamed));
        assertThat(streamed.getString("stop_reason"), is("max_tokens"));
    }

    @Test
    void aSessionIdEndsTheMessageAndNamesNoEvent() {
        ListSink sink = new ListSink();
        JsonObject returned = new MessageStreamEmitter(sink).emit("m", "local", 1, 10, List.of("a", " b").iterator(),
                "sess_1");
        assertThat(returned.getString("session_id"), is("sess_1"));
        assertThat(List.copyOf(returned.keySet()).getLast(), is("session_id"));
        assertThat(sink.events.stream().anyMatch(e -> e.data().contains("sess_1")), is(false));
        assertThat(new MessageStreamEmitter(null).emit("m", "local", 1, 10, List.of("a", " b").iterator(), null)
                .containsKey("session_id"), is(false));
    }

    @Test
    void stopsAtMaxTokens() {
        ListSink sink = new ListSink();
        JsonObject returned = new MessageStreamEmitter(sink).emit("m", "local", 1, 2,
                List.of("a", "b", "c", "d").iterator(), null);
        StreamGrammar.check(sink.events);
        assertThat(returned.getString("stop_reason"), is("max_tokens"));
        assertThat(returned.getJsonArray("content").getJsonObject(0).getString("text"), is("ab"));
    }

    @Test
    void aClientThatLeavesStopsGenerationAtOnce() {
        ListSink sink = new ListSink();
        sink.failAfter = 4; // message_start, block start, ping, one delta
        AtomicInteger pulled = new AtomicInteger();
        Iterator<String> endless = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public String next() {
                pulled.incrementAndGet();
                return "x";
            }
        };
        assertThrows(EventSink.ClientGoneException.class,
                () -> new MessageStreamEmitter(sink).emit("m", "local", 1, 1_000_000, endless, null));
        assertThat(pulled.get(), is(2));
    }
}
