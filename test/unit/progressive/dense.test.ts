// The progressive read never costs more than a dense read (issue 13): the dense read counts the
// whole verbatim session (edit bodies and long outputs read back whole from the transcript), and a
// plan whose passes would cost more is that dense read instead, saying so.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { initCodeFolding } from '../../../src/core/distill/code-fold';
import { distillSession } from '../../../src/core/distill/units';
import { ingestPaths } from '../../../src/core/ingest';
import { AnthropicProvider } from '../../../src/core/llm/anthropic';
import { denseSlices } from '../../../src/core/progressive/dense';
import { planRead, type ReadPlan } from '../../../src/core/progressive/plan';
import { progressiveRead } from '../../../src/core/progressive/run';
import { openStore, type Store } from '../../../src/core/store/store';
import { countExact } from '../../../src/core/tokens/count';
import { type FakeServer, startFakeServer } from '../llm/fake-server';
import { assistant, jsonl, prompt, SESSION, tempDir, text, toolResult, toolUse } from '../helpers';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SAMPLE = join(ROOT, 'test', 'fixtures', 'sample');
const CORPUS = join(ROOT, '..', 'shared', 'corpus', 'claude-code');

let server: FakeServer;
before(async () => {
  server = await startFakeServer({ text: 'ADD Facts: read\nCONFIDENCE: 0.1' });
  await initCodeFolding();
});
after(() => server.close());

async function storeOf(dir: string): Promise<Store> {
  const store = await openStore(join(tempDir(), 'loupe.db'));
  await ingestPaths(store, [dir], { workerScript: null });
  return store;
}

/** A session of `turns` turns, each a prompt, one long Write (its content the file's `lines` lines) and a reply. */
async function fewHugeTurns(turns: number, lines: number): Promise<Store> {
  const dir = tempDir();
  const records: string[] = [];
  let parent: string | null = null;
  for (let t = 1; t <= turns; t++) {
    const content = Array.from({ length: lines }, (_, i) => `export const LIMIT_${t}_${i} = ${i * 7}; // budget for shard ${i % 13}`).join('\n');
    records.push(
      prompt({ uuid: `u${t}`, parent }, `Write the limits file number ${t}`),
      assistant({ uuid: `a${t}`, parent: `u${t}`, messageId: `m${t}` }, toolUse(`t${t}`, 'Write', { file_path: `/p/limits${t}.ts`, content })),
      toolResult({ uuid: `r${t}`, parent: `a${t}` }, `t${t}`, `File created successfully at: /p/limits${t}.ts`),
      assistant({ uuid: `b${t}`, parent: `r${t}`, messageId: `n${t}` }, text(`Wrote limits${t}.ts with ${lines} limits.`)),
    );
    parent = `b${t}`;
  }
  writeFileSync(join(dir, `${SESSION}.jsonl`), jsonl(records));
  return storeOf(dir);
}

function assertWithinDense(plan: ReadPlan, what: string): void {
  assert.ok(plan.totalRead <= plan.dense.totalRead, `${what}: the plan reads ${plan.totalRead} > the dense read's ${plan.dense.totalRead}`);
  for (const p of plan.passes) assert.ok(p.promptTokens + p.maxOutput <= plan.window, `${what}: pass ${p.pass} does not fit the window`);
}

test('a session where the progressive passes are cheaper keeps the progressive plan', async () => {
  const store = await storeOf(SAMPLE);
  const plan = planRead(distillSession(store, 'latest'), { window: 12_000 });
  assert.equal(plan.mode, 'progressive');
  assert.match(plan.reason, /no more than the whole verbatim session/);
  assert.equal(plan.passes[0]!.slice.level, 'R4+R3');
  assert.equal(plan.totalRead, plan.progressiveRead);
  assertWithinDense(plan, 'sample');
  store.close();
});

test('few huge turns with a window close to the session size get a dense plan, no dearer than reading them; the runner reads it', async () => {
  const store = await fewHugeTurns(3, 250);
  const d = distillSession(store, SESSION);
  const whole = planRead(d, { window: 200_000 });
  // One dense call holds the session: four progressive passes, each with the instructions and the state, cost more.
  const window = Math.ceil(whole.dense.sessionTokens * 1.4);
  const plan = planRead(d, { window });
  assert.equal(plan.mode, 'dense', plan.reason);
  assert.match(plan.reason, /^the progressive passes would read [\d,]+ tokens in \d+ calls, more than the whole verbatim session in order \([\d,]+ in 1\): reading densely$/);
  assert.ok(plan.progressiveRead > plan.dense.totalRead);
  assert.equal(plan.totalRead, plan.dense.totalRead);
  assert.deepEqual(plan.passes.map((p) => [p.pass, p.task, p.slice.level, p.slice.turnFrom, p.slice.turnTo]), [[1, 'read', 'R0', 1, 3]]);
  assertWithinDense(plan, 'few huge turns');

  // The runner reads it as planned: one call per slice, told it reads the session verbatim.
  server.requests.length = 0;
  const provider = new AnthropicProvider({ apiKey: 'k', baseURL: server.url, retry: { baseDelayMs: 5, maxRetries: 1, timeoutMs: 2_000 } });
  const r = await progressiveRead(store, d, provider, { window });
  assert.equal(r.status, 'done');
  assert.equal(server.requests.length, 1);
  const req = server.requests[0]!;
  assert.match(req.user, /^Pass 1 of 1\. Task: read: the session verbatim/);
  assert.ok(req.user.includes('LIMIT_3_249 = 1743;'));
  assert.ok(countExact(req.system) + countExact(req.user) + (req.body.max_tokens ?? 0) <= window);
  store.close();
});

test('the dense slices hold the whole session in order, each within its budget and every one but the last full', async () => {
  const store = await fewHugeTurns(3, 700);
  const d = distillSession(store, SESSION);
  const budget = 3_000;
  const slices = denseSlices(d, budget);
  assert.ok(slices.length >= 6, `${slices.length} slices`);
  for (const s of slices) assert.ok(s.tokens <= budget, `a slice of ${s.tokens} tokens`);
  for (const s of slices.slice(0, -1)) assert.ok(s.tokens >= budget - 100, `a slice of ${s.tokens} tokens is not full`);
  const turnsRead = slices.flatMap((s) => s.turns);
  assert.deepEqual([...new Set(turnsRead)], d.turns);
  assert.deepEqual(turnsRead, [...turnsRead].sort((a, b) => a - b));
  // Nothing left out: every line each Write wrote is in some slice, and a slice that starts inside a turn says so.
  const sent = slices.map((s) => s.text).join('\n');
  for (const t of [1, 2, 3]) for (let i = 0; i < 700; i++) assert.ok(sent.includes(`LIMIT_${t}_${i} = ${i * 7};`), `LIMIT_${t}_${i} is read`);
  for (const s of slices.slice(1)) assert.match(s.text, /^### Turn \d+( \(continued\))?\n/);
  // A Write cut between slices is fenced again in each, with whose it is.
  assert.ok(slices.some((s) => /^```\n# … e\d+ continued\n/m.test(s.text)));
  for (const s of slices) assert.equal((s.text.match(/^```/gm) ?? []).length % 2, 0, 'every fence is closed in its slice');
  store.close();
});

test("the dense read counts edit bodies: a long Write makes it larger than the stored texts' rendering", async () => {
  const store = await fewHugeTurns(1, 1500);
  const d = distillSession(store, SESSION);
  const plan = planRead(d, { window: 16_000 });
  const events = d.analysis.turns.get(1)!;
  const write = events.find((e) => e.toolName === 'Write' && e.kind === 'tool_call')!;
  assert.ok(write.text.length < write.textLength, 'the stored Write is cut');
  const stored = events.reduce((n, e) => n + countExact(e.text), 0);
  const content = Array.from({ length: 1500 }, (_, i) => `export const LIMIT_1_${i} = ${i * 7}; // budget for shard ${i % 13}`).join('\n');
  assert.ok(plan.dense.sessionTokens >= countExact(content), `dense ${plan.dense.sessionTokens} < the Write's content ${countExact(content)}`);
  assert.ok(plan.dense.sessionTokens > 2 * stored, `dense ${plan.dense.sessionTokens} vs stored ${stored}`);
  assertWithinDense(plan, 'one long Write');
  store.close();
});

test('over the real corpus, at a window of a fifth and of half of each session, no plan reads more than the dense read', async (t) => {
  if (!existsSync(CORPUS)) {
    t.skip(`${CORPUS} is absent: the corpus check needs ../shared/corpus`);
    return;
  }
  const store = await storeOf(CORPUS);
  const sessions = store.listSessions();
  assert.ok(sessions.length >= 11, `${sessions.length} sessions`);
  const modes: string[] = [];
  for (const s of sessions) {
    const d = distillSession(store, s.id);
    for (const ratio of [5, 2]) {
      const plan = planRead(d, { window: Math.floor(s.tokens / ratio) });
      assertWithinDense(plan, `${s.id.slice(0, 8)} at W = session/${ratio}`);
      assert.equal(plan.totalRead, Math.min(plan.progressiveRead, plan.dense.totalRead));
      modes.push(plan.mode);
    }
  }
  t.diagnostic(`${modes.filter((m) => m === 'dense').length} of ${modes.length} plans are dense`);
  store.close();
});
