// The model distiller against the local server: accepted digests and working contexts replace the
// extractive units (with the distiller's name), and a malformed answer, an invented path or a
// provider error keeps the extractive unit and records why.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { ModelDistiller } from '../../../src/core/distill/model/distiller';
import { checkDigest, checkWorkingContext, inventedPaths } from '../../../src/core/distill/model/checks';
import { distillSession, distillSessionAsync, EXTRACTIVE } from '../../../src/core/distill/units';
import { ingestPaths } from '../../../src/core/ingest';
import { AnthropicProvider } from '../../../src/core/llm/anthropic';
import { DIGEST_SYSTEM, WORKING_CONTEXT_SYSTEM } from '../../../src/core/llm/prompts';
import { all, num, str } from '../../../src/core/store/rows';
import { openStore, type Store } from '../../../src/core/store/store';
import { assistant, jsonl, PROJECT, prompt, SESSION, tempDir, text, toolResult, toolUse, writeFile } from '../helpers';
import { type FakeServer, type SentRequest, startFakeServer } from './fake-server';

let server: FakeServer;
before(async () => {
  server = await startFakeServer();
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.script.length = 0;
});

async function session(): Promise<Store> {
  const dir = tempDir();
  writeFile(
    join(dir, 'projects', PROJECT, `${SESSION}.jsonl`),
    jsonl([
      prompt({ uuid: 'u1' }, 'Add a coupon field to checkout'),
      assistant({ uuid: 'a1', parent: 'u1', messageId: 'm1' }, toolUse('toolu_1', 'Read', { file_path: '/home/ana/shop-api/src/checkout.ts' })),
      toolResult({ uuid: 'u2', parent: 'a1' }, 'toolu_1', 'export function total() {}\n'),
      assistant({ uuid: 'a2', parent: 'u2', messageId: 'm2' }, text('Added the field. We use COUPON_MAX = 3 because marketing caps stacking.')),
      prompt({ uuid: 'u3', parent: 'a2' }, 'Run the tests'),
      assistant({ uuid: 'a3', parent: 'u3', messageId: 'm3' }, toolUse('toolu_2', 'Bash', { command: 'npm test' })),
      toolResult({ uuid: 'u4', parent: 'a3' }, 'toolu_2', '12 passed'),
    ]),
  );
  const store = await openStore(join(dir, 'loupe.db'));
  await ingestPaths(store, [dir], { workerScript: null });
  return store;
}

const provider = (timeoutMs = 2_000) => new AnthropicProvider({ apiKey: 'k', baseURL: server.url, retry: { baseDelayMs: 5, maxRetries: 1, timeoutMs } });

const GOOD_DIGEST = (req: SentRequest) =>
  req.user.includes('Turn 1')
    ? 'Intent: add a coupon field to checkout\nActions: read `src/checkout.ts`\nOutcome: field added\nDecisions: COUPON_MAX = 3 (marketing caps stacking)\nErrors: none\nFacts: `COUPON_MAX = 3`'
    : 'Intent: run the tests\nActions: ran `npm test`\nOutcome: 12 passed\nDecisions: none\nErrors: none\nFacts: `npm test`';
const GOOD_CONTEXT =
  '### Current State\n- tests pass (12 passed)\n### Key Decisions\n- COUPON_MAX = 3 because marketing caps stacking\n### Technical Changes\n- none\n### Open Problems\n- none\n### Session Timeline\n- turn 1: coupon field; turn 2: tests';

const units = (store: Store, level: number) =>
  all(store.db, 'SELECT turn_from, distiller, text FROM units WHERE session = ? AND level = ? ORDER BY turn_from', [store.key(SESSION), level]).map((r) => ({ turn: num(r.turn_from), distiller: str(r.distiller), text: str(r.text) }));
const attempts = (store: Store) => all(store.db, 'SELECT level, turn_from, accepted, reason FROM distill_attempts ORDER BY id').map((r) => ({ level: num(r.level), turn: num(r.turn_from), accepted: num(r.accepted), reason: str(r.reason) }));

test('good answers replace the R2 digests and the R3 context, named by the model distiller', async () => {
  const store = await session();
  server.fallback = { answer: (req) => (req.system === DIGEST_SYSTEM ? GOOD_DIGEST(req) : GOOD_CONTEXT) };
  const distiller = new ModelDistiller(provider());
  const d = await distillSessionAsync(store, SESSION, distiller);
  assert.deepEqual(units(store, 2).map((u) => u.distiller), ['anthropic:claude-haiku-4-5', 'anthropic:claude-haiku-4-5']);
  assert.match(units(store, 2)[0]!.text, /^\*\*Turn 1\*\*.*\n\n- Intent: add a coupon field/);
  assert.equal(units(store, 3)[0]!.distiller, 'anthropic:claude-haiku-4-5');
  assert.match(d.contextMarkdown, /### Key Decisions\n\n- COUPON_MAX = 3 because marketing/);
  // The digest prompt carries the stripped turn; the context prompt carries the (model) digests.
  assert.match(server.requests[0]!.user, /^Turn 1 of 2, stripped/);
  assert.equal(server.requests[2]!.system, WORKING_CONTEXT_SYSTEM);
  assert.match(server.requests[2]!.user, /Intent: run the tests/);
  assert.equal(attempts(store).filter((a) => a.accepted).length, 3);
  assert.equal(distiller.usage.calls, 3);
  // Incremental: nothing changed, nothing is asked again.
  await distillSessionAsync(store, SESSION, new ModelDistiller(provider()));
  assert.equal(server.requests.length, 3);
  store.close();
});

test('a malformed answer or an invented path keeps the extractive unit and records why', async () => {
  const store = await session();
  server.script.push(
    { text: 'Sure! Here is a summary of the turn: they added a coupon.' },
    { text: 'Intent: run the tests\nOutcome: passed\nFacts: see `src/billing/invoice.ts`' },
    { text: '### Current State\n- fine\n### Key Decisions\n- none' },
  );
  const before = distillSession(store, SESSION).contextMarkdown;
  const d = await distillSessionAsync(store, SESSION, new ModelDistiller(provider()));
  assert.deepEqual(units(store, 2).map((u) => u.distiller), [EXTRACTIVE, EXTRACTIVE]);
  assert.equal(units(store, 3)[0]!.distiller, EXTRACTIVE);
  assert.equal(d.contextMarkdown, before);
  assert.deepEqual(
    attempts(store).map((a) => [a.level, a.turn, a.accepted, a.reason]),
    [
      [2, 1, 0, 'missing Intent, Outcome, Facts'],
      [2, 2, 0, 'invented path src/billing/invoice.ts'],
      [3, 1, 0, 'missing section "Technical Changes"'],
    ],
  );
  store.close();
});

test('a provider that keeps failing (500s, a hung request) falls back and records the error; a bad key stops asking', async () => {
  const store = await session();
  server.script.push({ status: 500 }, { status: 500 }, { hang: true }, { hang: true }, { text: GOOD_CONTEXT });
  await distillSessionAsync(store, SESSION, new ModelDistiller(provider(200)));
  const a = attempts(store);
  assert.match(a[0]!.reason, /server error \(HTTP 500\).*after 2 attempts/);
  assert.match(a[1]!.reason, /no complete answer within 200 ms/);
  assert.equal(a[2]!.accepted, 1, 'the working context still came through');
  assert.deepEqual(units(store, 2).map((u) => u.distiller), [EXTRACTIVE, EXTRACTIVE]);

  const fresh = await session();
  server.requests.length = 0;
  server.script.push({ status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid key' } } });
  await distillSessionAsync(fresh, SESSION, new ModelDistiller(provider()));
  assert.equal(server.requests.length, 1, 'one refused call, then no more');
  assert.match(attempts(fresh)[0]!.reason, /refused the API key/);
  store.close();
  fresh.close();
});

test('the checks: labels, the five sections in order, and paths not in the source', () => {
  assert.equal(checkDigest('**Intent:** a\n**Outcome:** b\n- Facts: c', 'x'), null);
  assert.equal(checkDigest('Intent: a\nFacts: c', 'x'), 'missing Outcome');
  assert.deepEqual(inventedPaths('edited src/a.ts and `lib/b/c.py`, see https://x.io/y and v1.2.3', 'src/a.ts'), ['lib/b/c.py']);
  assert.equal(checkWorkingContext(GOOD_CONTEXT, ''), null);
  assert.equal(checkWorkingContext(GOOD_CONTEXT.replace('### Current State\n- tests pass (12 passed)\n', '') + '\n### Current State\n- x', ''), 'section "Key Decisions" out of order');
});
