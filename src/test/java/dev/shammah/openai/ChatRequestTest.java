package dev.shammah.openai;

import dev.shammah.errors.ShammahException;
import dev.shammah.testsupport.JsonText;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** OpenAI Chat Completions requests translated into Messages requests: golden translations, and each refusal. */
class ChatRequestTest {
    private static JsonObject translate(String chat) {
        return ChatRequest.translate(JsonText.parse(chat), 8192).body();
    }

    private static String refusal(String chat) {
        ShammahException e = assertThrows(ShammahException.class, () -> ChatRequest.translate(JsonText.parse(chat),
                8192));
        assertThat(e.type().status(), is(400));
        return e.getMessage();
    }

    @Test
    void aPlainQuestionKeepsItsWordsAndGetsADefaultMaxTokens() {
        assertThat(translate("""
                {"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"What is 2+2?"}]}"""),
                is(JsonText.parse("""
                {"model":"claude-sonnet-4-5","max_tokens":4096,"messages":[{"role":"user","content":"What is 2+2?"}]}
                """)));
        assertThat("the default is at most the server's limit", ChatRequest.translate(JsonText.parse("""
                {"model":"m","messages":[{"role":"user","content":"hi"}]}"""), 100).body().getInt("max_tokens"),
                is(100));
    }

    @Test
    void systemDeveloperSamplingStopsUserAndFormatTranslate() {
        assertThat(translate("""
                {"model":"m","max_completion_tokens":50,"temperature":1.5,"top_p":0.9,"stop":"END","user":"u-1",
                 "seed":7,"logit_bias":{"1":2},"n":1,"stream":true,"stream_options":{"include_usage":true},
                 "response_format":{"type":"json_object"},
                 "messages":[{"role":"system","content":"Be brief."},
                             {"role":"developer","content":[{"type":"text","text":"Use French."}]},
                             {"role":"user","content":"Hello"}]}"""),
                is(JsonText.parse("""
                {"model":"m","max_tokens":50,
                 "system":"Be brief.\\n\\nUse French.\\n\\nAnswer with one JSON object and nothing else: no prose, no code fence.",
                 "messages":[{"role":"user","content":"Hello"}],"temperature":1.0,"top_p":0.9,
                 "stop_sequences":["END"],"stream":true,"metadata":{"user_id":"u-1"}}""")));
        assertThat(ChatRequest.translate(JsonText.parse("""
                {"model":"m","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"Hello"}]}"""), 10).includeUsage(), is(true));
    }

    @Test
    void imagesFromDataUrlsOnly() {
        JsonObject body = translate("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},
                 {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]}]}""");
        assertThat(body.getJsonArray("messages").getJsonObject(0).getJsonArray("content"), is(JsonText.parseArray("""
                [{"type":"text","text":"What is this?"},
                 {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]""")));
        assertThat(refusal("""
                {"model":"m","messages":[{"role":"user","content":[
                 {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}"""),
                containsString("messages[0].content[0].image_url.url: only data: URLs"));
        assertThat(refusal("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]}"""),
                containsString("messages[0].content[0].type: 'input_audio' parts are not supported"));
    }

    @Test
    void aToolLoopBecomesToolUseAndToolResults() {
        JsonObject body = translate("""
                {"model":"m","tool_choice":"required","parallel_tool_calls":false,
                 "tools":[{"type":"function","function":{"name":"weather","description":"Weather in a city",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}},
                  {"type":"function","function":{"name":"time"}}],
                 "messages":[{"role":"user","content":"Weather and time in Paris?"},
                  {"role":"assistant","content":null,"tool_calls":[
                    {"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                    {"id":"call_2","type":"function","function":{"name":"time","arguments":""}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"Sunny"},
                  {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"10:00"}]}]}""");
        assertThat(body.getJsonArray("tools"), is(JsonText.parseArray("""
                [{"name":"weather","description":"Weather in a city",
                  "input_schema":{"type":"object","properties":{"city":{"type":"string"}}}},
                 {"name":"time","input_schema":{"type":"object","properties":{}}}]""")));
        assertThat(body.getJsonObject("tool_choice"), is(JsonText.parse("""
                {"type":"any","disable_parallel_tool_use":true}""")));
        assertThat(body.getJsonArray("messages"), is(JsonText.parseArray("""
                [{"role":"user","content":"Weather and time in Paris?"},
                 {"role":"assistant","content":[
                   {"type":"tool_use","id":"call_1","name":"weather","input":{"city":"Paris"}},
                   {"type":"tool_use","id":"call_2","name":"time","input":{}}]},
                 {"role":"user","content":[
                   {"type":"tool_result","tool_use_id":"call_1","content":"Sunny"},
                   {"type":"tool_result","tool_use_id":"call_2","content":"10:00"}]}]""")));
        assertThat(translate("""
                {"model":"m","tools":[{"type":"function","function":{"name":"f"}}],
                 "tool_choice":{"type":"function","function":{"name":"f"}},
                 "messages":[{"role":"user","content":"x"}]}""").getJsonObject("tool_choice"),
                is(JsonText.parse("{\"type\":\"tool\",\"name\":\"f\"}")));
        assertThat(translate("""
                {"model":"m","tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"none",
                 "messages":[{"role":"user","content":"x"}]}""").getJsonObject("tool_choice"),
                is(JsonText.parse("{\"type\":\"none\"}")));
    }

    @Test
    void whatCannotBeTranslatedIsA400NamingTheParameter() {
        assertThat(refusal("""
                {"model":"m","messages":[{"role":"user","content":"x"},
                 {"role":"tool","tool_call_id":"call_9","content":"42"}]}"""),
                containsString("messages[1].tool_call_id: no assistant tool call with id 'call_9'"));
        assertThat(refusal("{\"model\":\"m\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                containsString("n: only 1 is supported"));
        assertThat(refusal("{\"model\":\"m\",\"logprobs\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                containsString("logprobs: not supported"));
        assertThat(refusal("{\"model\":\"m\",\"frobnicate\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                containsString("Unrecognized request argument supplied: frobnicate"));
        assertThat(refusal("{\"model\":\"m\",\"messages\":{}}"), containsString("messages: must be a non-empty array"));
        assertThat(refusal("{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}"),
                containsString("messages[0].role: must be one of"));
        assertThat(refusal("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}"),
                containsString("at least one user or assistant message"));
        assertThat(refusal("""
                {"model":"m","messages":[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[
                 {"id":"c","type":"function","function":{"name":"f","arguments":"not json"}}]}]}"""),
                containsString("messages[1].tool_calls[0].function.arguments: must be a JSON object"));
        assertThat(refusal("{\"model\":\"m\",\"functions\":[],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                containsString("functions: the deprecated functions API is not supported"));
        assertThat(refusal("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), containsString("model: Field required"));
        assertThat(refusal("{\"model\":\"m\",\"temperature\":3,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                containsString("temperature: must be from 0 to 2"));
    }

    @Test
    void aJsonSchemaIsAnInstructionWithTheSchema() {
        String system = translate("""
                {"model":"m","response_format":{"type":"json_schema","json_schema":{"name":"a",
                 "schema":{"type":"object","properties":{"n":{"type":"integer"}}}}},
                 "messages":[{"role":"user","content":"x"}]}""").getString("system");
        assertThat(system, containsString("conforms to this JSON Schema"));
        assertThat(system, containsString("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}"));
    }
}
