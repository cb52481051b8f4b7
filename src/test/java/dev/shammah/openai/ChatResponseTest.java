package dev.shammah.openai;

import java.util.ArrayList;
import java.util.List;

import dev.shammah.testsupport.JsonText;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/** Claude's answers in OpenAI's shapes: a whole chat.completion, and a stream of chunks. */
class ChatResponseTest {
    @Test
    void textToolCallsStopReasonsAndUsage() {
        JsonObject message = JsonText.parse("""
                {"id":"msg_abc","type":"message","role":"assistant","model":"claude-sonnet-4-5","session_id":"s",
                 "content":[{"type":"thinking","thinking":"hmm","signature":"x"},
                  {"type":"text","text":"Let me look."},
                  {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":10,"cache_read_input_tokens":5,"cache_creation_input_tokens":1,"output_tokens":7}}""");
        assertThat(ChatResponse.of(message, "asked", 1700000000L), is(JsonText.parse("""
                {"id":"chatcmpl-abc","object":"chat.completion","created":1700000000,"model":"claude-sonnet-4-5",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Let me look.",
                   "tool_calls":[{"id":"toolu_1","type":"function",
                     "function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}}],"refusal":null},
                   "logprobs":null,"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":16,"completion_tokens":7,"total_tokens":23,
                   "prompt_tokens_details":{"cached_tokens":5}}}""")));
        assertThat(ChatResponse.finishReason("end_turn"), is("stop"));
        assertThat(ChatResponse.finishReason("stop_sequence"), is("stop"));
        assertThat(ChatResponse.finishReason("max_tokens"), is("length"));
        assertThat(ChatResponse.finishReason("tool_use"), is("tool_calls"));
        assertThat(ChatResponse.finishReason("refusal"), is("content_filter"));
        assertThat(ChatResponse.finishReason("pause_turn"), is("stop"));
        JsonObject onlyTool = ChatResponse.of(JsonText.parse("""
                {"id":"msg_x","content":[{"type":"tool_use","id":"t","name":"f","input":{}}],"stop_reason":"tool_use",
                 "usage":{"input_tokens":1,"output_tokens":1}}"""), "m", 1);
        assertThat("no text: content is null", onlyTool.getJsonArray("choices").getJsonObject(0)
                .getJsonObject("message").isNull("content"), is(true));
        assertThat("the model asked for, when the message names none", onlyTool.getString("model"), is("m"));
    }

    @Test
    void aStreamBecomesChunksWithToolCallIndexesAndAUsageChunk() {
        ChunkTranslator t = new ChunkTranslator("asked", 5, true);
        List<String> out = new ArrayList<>();
        String[][] events = {
            {"message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-x\","
                    + "\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}"},
            {"ping", "{\"type\":\"ping\"}"},
            {"content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"},
            {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"},
            {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"},
            {"content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}}"},
            {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\"}}"},
            {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"1}\"}}"},
            {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"},
            {"message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":12}}"},
            {"message_stop", "{\"type\":\"message_stop\"}"},
        };
        for (String[] e : events) {
            out.addAll(t.translate(e[0], e[1]));
        }
        String head = "\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":5,\"model\":\"claude-x\"";
        assertThat(out, contains(
                "{" + head + ",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
                "{" + head + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
                "{" + head + ",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"toolu_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
                "{" + head + ",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\":\"}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
                "{" + head + ",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"1}\"}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
                "{" + head + ",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],\"usage\":null}",
                "{" + head + ",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12,\"total_tokens\":21,\"prompt_tokens_details\":{\"cached_tokens\":0}}}",
                "[DONE]"));
    }

    @Test
    void anErrorMidStreamIsOpenAisErrorPayload() {
        ChunkTranslator t = new ChunkTranslator("m", 1, false);
        assertThat(t.translate("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"),
                contains("{\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":\"overloaded\"}}"));
    }
}
