// Runs OpenAI's TypeScript SDK against a running Shammah daemon's /v1/chat/completions (started by
// scripts/sdk-check with the fake upstream behind it, which answers "echo: <last user text>"). Prints one line
// per scenario and ends with "N passed, N failed".
import OpenAI from 'openai';
import { assert, runScenarios } from './scenarios.mjs';

const baseURL = (process.env.SHAMMAH_URL ?? 'http://127.0.0.1:8000') + '/v1';
const client = new OpenAI({ baseURL, apiKey: process.env.SHAMMAH_CLIENT_KEY ?? 'sdk-check', maxRetries: 0 });
const model = 'claude-sonnet-4-6';


const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

const scenarios = {
  async 'openai: chat completion'() {
    const c = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello from OpenAI' }] });
    assert(c.object === 'chat.completion', `object ${c.object}`);
    assert(c.choices[0].message.content === 'echo: Hello from OpenAI', `content ${JSON.stringify(c.choices[0].message)}`);
    assert(c.choices[0].finish_reason === 'stop', `finish_reason ${c.choices[0].finish_reason}`);
    assert(c.usage.total_tokens === c.usage.prompt_tokens + c.usage.completion_tokens, `usage ${JSON.stringify(c.usage)}`);
  },

  async 'openai: stream with include_usage'() {
    const stream = await client.chat.completions.create({
      model, stream: true, stream_options: { include_usage: true },
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'stream these words' }],
    });
    let text = '';
    let finish = null;
    let usage = null;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      for (const choice of chunk.choices) {
        text += choice.delta.content ?? '';
        if (choice.finish_reason) finish = choice.finish_reason;
      }
    }
    assert(text === 'echo: stream these words', `text was ${text}`);
    assert(finish === 'stop', `finish_reason ${finish}`);
    assert(usage && usage.completion_tokens > 0, `usage ${JSON.stringify(usage)}`);
  },

  async 'openai: tool loop (first turn streamed)'() {
    const messages = [{ role: 'user', content: 'call tool: weather in Oslo' }];
    const first = await client.chat.completions.stream({ model, tools: [weather], messages }).finalChatCompletion();
    const msg = first.choices[0].message;
    assert(first.choices[0].finish_reason === 'tool_calls', `finish_reason ${first.choices[0].finish_reason}`);
    const call = msg.tool_calls?.[0];
    assert(call && call.function.name === 'get_weather', `tool_calls ${JSON.stringify(msg.tool_calls)}`);
    assert(JSON.parse(call.function.arguments).city === 'weather in Oslo', `arguments ${call.function.arguments}`);
    messages.push({ role: 'assistant', content: msg.content, tool_calls: msg.tool_calls });
    messages.push({ role: 'tool', tool_call_id: call.id, content: '-3°C' });
    const second = await client.chat.completions.create({ model, tools: [weather], messages });
    const text = second.choices[0].message.content;
    assert(text.includes(`[tool_result ${call.id}: "-3°C"]`), `answer was ${text}`);
  },

  async 'openai: errors map to SDK classes'() {
    try {
      await client.chat.completions.create({ model, n: 2, messages: [{ role: 'user', content: 'x' }] });
      throw new Error('expected a 400');
    } catch (e) {
      assert(e instanceof OpenAI.BadRequestError, `got ${e.constructor.name}: ${e.message}`);
      assert(e.param === 'n' && e.type === 'invalid_request_error', `param ${e.param}, type ${e.type}`);
    }
    const unauthorized = new OpenAI({ baseURL, apiKey: 'not-a-key', maxRetries: 0 });
    if (process.env.SHAMMAH_CLIENT_KEY) {
      try {
        await unauthorized.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] });
        throw new Error('expected a 401');
      } catch (e) {
        assert(e instanceof OpenAI.AuthenticationError, `got ${e.constructor.name}: ${e.message}`);
      }
    }
  },

  async 'openai: the same question again is answered locally'() {
    const ask = () => client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'What is said twice?' }] }).withResponse();
    const first = await ask();
    assert(first.response.headers.get('x-shammah-route') === 'forward', `first route ${first.response.headers.get('x-shammah-route')}`);
    // Learning runs after the answer is sent: give it a moment.
    for (let i = 0; i < 50; i++) {
      const again = await ask();
      if (again.response.headers.get('x-shammah-route') === 'local') {
        assert(again.data.choices[0].message.content === 'echo: What is said twice?', `content ${again.data.choices[0].message.content}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('never answered locally');
  },

  async 'openai: models list'() {
    const ids = [];
    for await (const m of client.models.list()) {
      assert(m.object === 'model', `object ${m.object}`);
      ids.push(m.id);
    }
    assert(ids.length >= 4 && ids.some((id) => id.startsWith('claude')), `listed ${ids.join(',')}`);
  },
};

await runScenarios('sdk-check (openai)', scenarios);
