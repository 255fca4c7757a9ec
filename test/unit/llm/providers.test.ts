// The providers against a real local HTTP server: the Anthropic SDK and the OpenAI-compatible
// fetch client, streaming, accounting, retries (429 with retry-after, 500), timeouts on a hung
// request, cancellation, and the error kinds a user can act on.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { AnthropicProvider } from '../../../src/core/llm/anthropic';
import { OpenAiCompatibleProvider } from '../../../src/core/llm/openai';
import { LlmError, type LlmProvider, parseRetryAfter, UsageMeter } from '../../../src/core/llm/provider';
import { type FakeServer, startFakeServer } from './fake-server';

let server: FakeServer;
before(async () => {
  server = await startFakeServer();
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.script.length = 0;
});

const FAST = { baseDelayMs: 10, maxDelayMs: 2_000, timeoutMs: 2_000, maxRetries: 2 };
const anthropic = (retry = FAST, model = 'claude-haiku-4-5') => new AnthropicProvider({ apiKey: 'test-key', baseURL: server.url, model, retry });
const openai = (retry = FAST) => new OpenAiCompatibleProvider({ baseURL: `${server.url}/v1`, model: 'qwen2.5-coder', retry });
const ask = (p: LlmProvider, extra: Partial<Parameters<LlmProvider['complete']>[0]> = {}) =>
  p.complete({ system: 'You are terse.', messages: [{ role: 'user', content: 'Say the magic word.' }], maxTokens: 100, ...extra });

for (const [name, make] of [['anthropic', anthropic], ['openai-compatible', openai]] as const) {
  test(`${name}: streams the answer, reports usage, and sends system, messages and max_tokens`, async () => {
    server.script.push({ text: 'The magic word is "please", said twice for the stream to need several deltas.' });
    const deltas: string[] = [];
    const r = await ask(make(), { onText: (d) => deltas.push(d) });
    assert.equal(r.text, 'The magic word is "please", said twice for the stream to need several deltas.');
    assert.ok(deltas.length > 1, 'several deltas');
    assert.equal(deltas.join(''), r.text);
    assert.equal(r.attempts, 1);
    assert.ok(r.usage.inputTokens > 0 && r.usage.outputTokens > 0);
    const sent = server.requests[0]!;
    assert.equal(sent.system, 'You are terse.');
    assert.equal(sent.user, 'Say the magic word.');
    assert.equal(sent.body.max_tokens, 100);
    assert.equal(sent.body.stream, true);
  });

  test(`${name}: a 429 with retry-after is retried after the wait it asks for`, async () => {
    server.script.push({ status: 429, headers: { 'retry-after': '1' } }, { text: 'ok' });
    const started = Date.now();
    const r = await ask(make());
    assert.equal(r.text, 'ok');
    assert.equal(r.attempts, 2);
    assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms`);
  });

  test(`${name}: a 500 is retried with backoff, and gives up after maxRetries with a server error`, async () => {
    server.script.push({ status: 500 }, { text: 'recovered' });
    assert.equal((await ask(make())).text, 'recovered');
    server.script.push({ status: 500 }, { status: 502 }, { status: 503 });
    await assert.rejects(ask(make()), (e: unknown) => e instanceof LlmError && e.kind === 'server' && /after 3 attempts/.test(e.message));
  });

  test(`${name}: a hung request times out, is retried, then fails as a timeout`, async () => {
    server.script.push({ hang: true }, { text: 'second try' });
    const r = await ask(make({ ...FAST, timeoutMs: 300 }));
    assert.equal(r.text, 'second try');
    assert.equal(r.attempts, 2);
    server.script.push({ hang: true }, { hang: true });
    await assert.rejects(ask(make({ ...FAST, timeoutMs: 200, maxRetries: 1 })), (e: unknown) => e instanceof LlmError && e.kind === 'timeout');
  });

  test(`${name}: the caller's AbortSignal cancels a hung request and is not retried`, async () => {
    server.script.push({ hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await assert.rejects(ask(make({ ...FAST, timeoutMs: 10_000 }), { signal: controller.signal }), (e: unknown) => e instanceof LlmError && e.kind === 'aborted');
    assert.ok(Date.now() - started < 2_000);
    assert.equal(server.requests.length, 1);
  });

  test(`${name}: a bad key, an unknown model and a prompt too long are clear errors, not retried`, async () => {
    server.script.push({ status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } });
    await assert.rejects(ask(make()), (e: unknown) => e instanceof LlmError && e.kind === 'auth' && !e.message.includes('test-key'));
    server.script.push({ status: 404, body: { type: 'error', error: { type: 'not_found_error', message: 'model: claude-nope' } } });
    await assert.rejects(ask(make()), (e: unknown) => e instanceof LlmError && e.kind === 'unknown-model');
    server.script.push({ status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 250000 tokens > 200000 maximum' } } });
    await assert.rejects(ask(make()), (e: unknown) => e instanceof LlmError && e.kind === 'context-too-long');
    assert.equal(server.requests.length, 3);
  });
}

test('anthropic: the key reaches the server, count_tokens is the provider count, and cost follows the model price', async () => {
  server.script.push({ text: 'x'.repeat(400) });
  const r = await ask(anthropic());
  // This SDK version sends the key as a bearer token; older ones used x-api-key.
  const h = server.requests[0]!.headers;
  assert.ok(h['x-api-key'] === 'test-key' || h.authorization === 'Bearer test-key', JSON.stringify(h));
  assert.equal(server.requests[0]!.path, '/v1/messages');
  // haiku 4.5: $1 in, $5 out per million tokens.
  assert.equal(r.usage.costUsd, (r.usage.inputTokens * 1 + r.usage.outputTokens * 5) / 1e6);
  const counted = await anthropic().countTokens({ system: 'abcd', messages: [{ role: 'user', content: 'efgh' }] });
  assert.equal(counted, 2);
  assert.equal(server.requests[1]!.path, '/v1/messages/count_tokens');
  const local = await ask(openai());
  assert.equal(local.usage.costUsd, null, 'a local model has no price');
  const meter = new UsageMeter();
  meter.add(r);
  meter.add(local);
  assert.equal(meter.calls, 2);
  assert.equal(meter.costUsd, null);
  assert.match(meter.describe(), /2 calls \(2 attempts\).*cost unknown/);
});

test('retry-after is read as milliseconds, seconds or an HTTP date', () => {
  const h = (o: Record<string, string>) => (n: string) => o[n] ?? null;
  assert.equal(parseRetryAfter(h({ 'retry-after-ms': '250' })), 250);
  assert.equal(parseRetryAfter(h({ 'retry-after': '3' })), 3000);
  assert.equal(parseRetryAfter(h({ 'retry-after': new Date(10_000).toUTCString() }), 4_000), 6_000);
  assert.equal(parseRetryAfter(h({})), undefined);
});

test('the provider refuses to start without a key', () => {
  assert.throws(() => new AnthropicProvider({ apiKey: '' }), (e: unknown) => e instanceof LlmError && e.kind === 'auth');
});
