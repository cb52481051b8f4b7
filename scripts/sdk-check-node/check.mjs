// Runs Anthropic's TypeScript SDK against a running Shammah daemon (started by scripts/sdk-check with the
// fake upstream behind it). Prints one line per scenario and ends with "N passed, N failed".
import Anthropic from '@anthropic-ai/sdk';
import { assert, runScenarios } from './scenarios.mjs';

const baseURL = process.env.SHAMMAH_URL ?? 'http://127.0.0.1:8000';
const client = new Anthropic({ baseURL, apiKey: process.env.SHAMMAH_CLIENT_KEY ?? 'sdk-check', maxRetries: 0 });
const model = 'claude-sonnet-4-6';


const weather = {
  name: 'get_weather',
  description: 'Current weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

const scenarios = {
  async 'create message'() {
    const m = await client.messages.create({ model, max_tokens: 100, messages: [{ role: 'user', content: 'Hello from Node' }] });
    assert(m.content[0].type === 'text' && m.content[0].text === 'echo: Hello from Node', `text was ${JSON.stringify(m.content)}`);
    assert(m.stop_reason === 'end_turn', `stop_reason ${m.stop_reason}`);
    assert(typeof m.session_id === 'string', 'no session_id');
  },

  async 'stream with the helper'() {
    const seen = [];
    const stream = client.messages.stream({ model, max_tokens: 100, messages: [{ role: 'user', content: 'stream these words' }] });
    stream.on('streamEvent', (e) => seen.push(e.type));
    const m = await stream.finalMessage();
    assert(m.content[0].text === 'echo: stream these words', `text was ${JSON.stringify(m.content)}`);
    for (const t of ['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']) {
      assert(seen.includes(t), `no ${t} event (saw ${seen.join(',')})`);
    }
  },

  async 'raw stream events'() {
    const stream = await client.messages.create({ model, max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'raw' }] });
    let text = '';
    for await (const e of stream) {
      if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text;
    }
    assert(text === 'echo: raw', `text was ${text}`);
  },

  async 'tool use round trip (streamed)'() {
    const messages = [{ role: 'user', content: 'call tool: weather in Oslo' }];
    const first = await client.messages.stream({ model, max_tokens: 100, tools: [weather], messages }).finalMessage();
    assert(first.stop_reason === 'tool_use', `stop_reason ${first.stop_reason}`);
    const call = first.content.find((b) => b.type === 'tool_use');
    assert(call && call.name === 'get_weather', 'no tool_use block');
    assert(call.input && call.input.city === 'weather in Oslo', `tool input was ${JSON.stringify(call.input)}`);
    messages.push({ role: 'assistant', content: first.content });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '-3°C' }] });
    const second = await client.messages.create({ model, max_tokens: 100, tools: [weather], messages });
    assert(second.content[0].text.includes(`[tool_result ${call.id}: "-3°C"]`), `answer was ${second.content[0].text}`);
  },

  async 'count tokens'() {
    const r = await client.messages.countTokens({ model, messages: [{ role: 'user', content: 'count me' }] });
    assert(Number.isInteger(r.input_tokens) && r.input_tokens > 0, `input_tokens ${r.input_tokens}`);
  },

  async 'models list and retrieve'() {
    const ids = [];
    for await (const m of client.models.list({ limit: 2 })) ids.push(m.id);
    assert(ids.length >= 4, `listed ${ids.join(',')}`);
    const one = await client.models.retrieve(ids[0]);
    assert(one.id === ids[0], 'retrieve mismatch');
  },

  async 'errors map to SDK classes'() {
    try {
      await client.messages.create({ model, max_tokens: 0, messages: [{ role: 'user', content: 'x' }] });
      throw new Error('expected a 400');
    } catch (e) {
      assert(e instanceof Anthropic.BadRequestError, `got ${e.constructor.name}: ${e.message}`);
      assert(e.error?.error?.type === 'invalid_request_error', `body ${JSON.stringify(e.error)}`);
    }
    try {
      await client.models.retrieve('no-such-model');
      throw new Error('expected a 404');
    } catch (e) {
      assert(e instanceof Anthropic.NotFoundError, `got ${e.constructor.name}: ${e.message}`);
    }
  },
};

await runScenarios('sdk-check', scenarios);
