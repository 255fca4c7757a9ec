// The progressive read against the local server: the plan's passes and sizes, the prompts sent
// (pass k of K, turns a–b of n, % of the session, every call ≤ W), the state built from edits, the
// passes stored with provenance, DETAIL steering the sharp passes, and failures handled per pass.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { initCodeFolding } from '../../../src/core/distill/code-fold';
import { ModelDistiller } from '../../../src/core/distill/model/distiller';
import { distillSession, distillSessionAsync, type DistilledSession } from '../../../src/core/distill/units';
import { ingestPaths } from '../../../src/core/ingest';
import { AnthropicProvider } from '../../../src/core/llm/anthropic';
import { OpenAiCompatibleProvider } from '../../../src/core/llm/openai';
import { DIGEST_SYSTEM, PROGRESSIVE_SYSTEM } from '../../../src/core/llm/prompts';
import { planRead, WindowTooSmallError } from '../../../src/core/progressive/plan';
import { progressiveRead } from '../../../src/core/progressive/run';
import { parseAnswer, ReadState } from '../../../src/core/progressive/state';
import { all, num, str } from '../../../src/core/store/rows';
import { openStore, type Store } from '../../../src/core/store/store';
import { countExact } from '../../../src/core/tokens/count';
import { type FakeServer, type SentRequest, startFakeServer } from '../llm/fake-server';
import { tempDir } from '../helpers';

const SAMPLE = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'sample');
const W = 12_000;

let server: FakeServer;
before(async () => {
  server = await startFakeServer();
  await initCodeFolding();
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.script.length = 0;
  server.fallback = { answer: echo };
});

async function sample(): Promise<{ store: Store; d: DistilledSession }> {
  const store = await openStore(join(tempDir(), 'loupe.db'));
  await ingestPaths(store, [SAMPLE], { workerScript: null });
  return { store, d: distillSession(store, 'latest') };
}

/** Answers from what it was sent: one ADD naming the pass and its turns, as a model would summarize them. */
function echo(req: SentRequest): string {
  const pass = /^Pass (\d+) of (\d+)/.exec(req.user)!;
  const turns = /turns (\d+)–(\d+) of (\d+)/.exec(req.user)!;
  return `ADD Findings: pass ${pass[1]} read turns ${turns[1]}-${turns[2]}\nCONFIDENCE: 0.1`;
}

const provider = () => new AnthropicProvider({ apiKey: 'k', baseURL: server.url, retry: { baseDelayMs: 5, maxRetries: 1, timeoutMs: 2_000 } });
const tokensSent = (r: SentRequest) => countExact(r.system) + countExact(r.user) + (r.body.max_tokens ?? 0);

test('the plan: pass 1 reads everything at R4+R3, R2 slices cover every turn once, each call fits W', async () => {
  const { store, d } = await sample();
  const plan = planRead(d, { window: W });
  const [first, ...rest] = plan.passes;
  assert.equal(first!.slice.level, 'R4+R3');
  assert.equal(first!.task, 'outline');
  assert.deepEqual([first!.slice.turnFrom, first!.slice.turnTo], [1, d.turns.length]);
  const r2 = rest.filter((p) => p.slice.level === 'R2');
  assert.ok(r2.length >= 2, 'the digests need several slices at this window');
  assert.deepEqual(r2.flatMap((p) => p.slice.turns), d.turns);
  assert.deepEqual(rest.map((p) => p.slice.level), [...r2.map(() => 'R2'), 'R1', 'R1', 'R0']);
  assert.deepEqual(plan.passes.map((p) => p.pass), plan.passes.map((_, i) => i + 1));
  for (const p of plan.passes) {
    assert.ok(p.slice.tokens <= plan.sliceBudget, `pass ${p.pass} slice ${p.slice.tokens} > ${plan.sliceBudget}`);
    assert.ok(p.promptTokens + p.maxOutput <= W);
  }
  assert.ok(plan.dense.sessionTokens > 5 * W, 'the sample is more than 5× the window');
  assert.ok(plan.totalRead < plan.dense.totalRead);
  assert.throws(() => planRead(d, { window: 800 }), WindowTooSmallError);
  store.close();
});

test('each prompt states pass k of K, the turns and % of the session, and fits W; the state and passes are stored', async () => {
  const { store, d } = await sample();
  const plan = planRead(d, { window: W });
  const K = plan.passes.length;
  const r = await progressiveRead(store, d, provider(), { window: W });
  assert.equal(r.status, 'done');
  assert.equal(server.requests.length, K);
  server.requests.forEach((req, i) => {
    assert.equal(req.system, PROGRESSIVE_SYSTEM);
    assert.match(req.user, new RegExp(`^Pass ${i + 1} of ${K}\\. Task: ${i === 0 ? 'outline' : i <= plan.passes.filter((p) => p.slice.level === 'R2').length ? 'refine' : 'add detail'}`));
    assert.match(req.user, new RegExp(`turns \\d+–\\d+ of ${d.turns.length} \\(\\d+%–\\d+% of the session\\), at (R4\\+R3|R2|R1|R0)\\.`));
    assert.ok(tokensSent(req) <= W, `pass ${i + 1} sent ${tokensSent(req)} > ${W}`);
    assert.match(req.user, new RegExp(`State size: \\d+ of at most ${plan.stateCap} tokens`));
  });
  assert.match(server.requests[0]!.user, /turns 1–149 of 149 \(0%–100% of the session\), at R4\+R3/);
  // The state grows pass by pass and the next prompt carries it.
  assert.match(server.requests[1]!.user, /Current state:\n## Findings\n\n- pass 1 read turns 1-149/);
  assert.equal(r.state.split('\n- pass ').length - 1, K);
  const rows = all(store.db, 'SELECT pass, passes, level, turn_from, turn_to, event_from, event_to, prompt_tokens, status, state_after, edits FROM progressive_passes WHERE run = ? ORDER BY pass', [r.runId]);
  assert.equal(rows.length, K);
  for (const row of rows) {
    assert.equal(num(row.passes), K);
    assert.equal(str(row.status), 'ok');
    assert.ok(num(row.event_from) > 0 && num(row.event_to) >= num(row.event_from), 'provenance');
    assert.match(str(row.state_after), new RegExp(`pass ${num(row.pass)} read turns ${num(row.turn_from)}-${num(row.turn_to)}`));
    assert.equal(JSON.parse(str(row.edits))[0].op, 'ADD');
  }
  const run = all(store.db, 'SELECT status, final_state, input_tokens, provider FROM progressive_runs WHERE id = ?', [r.runId])[0]!;
  assert.equal(str(run.status), 'done');
  assert.equal(str(run.final_state), r.state);
  assert.ok(num(run.input_tokens) > 0);
  store.close();
});

test('the turns a pass marks with DETAIL are the ones the sharp passes read', async () => {
  const { store, d } = await sample();
  const wanted = [37, 38];
  server.script.push({ text: `ADD Outline: a ledger session\nDETAIL: ${wanted[0]}-${wanted[1]}` });
  await progressiveRead(store, d, provider(), { window: W });
  const detail = server.requests.filter((r) => /Task: add detail/.test(r.user));
  assert.equal(detail.length, 3);
  // Requested turns come first in the ranking, so each sharp level (R1, then R0) reads them.
  for (const level of ['R1', 'R0']) {
    const passes = detail.filter((r) => r.user.includes(`, at ${level}.`));
    for (const t of wanted) assert.ok(passes.some((r) => r.user.includes(`### Turn ${t}\n`)), `turn ${t} at ${level}`);
  }
  store.close();
});

test('a malformed first answer seeds the state from the extractive context; a failing pass is recorded and skipped', async () => {
  const { store, d } = await sample();
  server.script.push({ text: 'I am sorry, I cannot help with that.' }, { status: 500 }, { status: 500 });
  const r = await progressiveRead(store, d, provider(), { window: W });
  assert.equal(r.passes[0]!.status, 'fallback');
  assert.match(r.passes[0]!.reason, /no edit operation/);
  assert.match(r.passes[0]!.stateAfter, /## Outline/);
  assert.equal(r.passes[1]!.status, 'failed');
  assert.match(r.passes[1]!.reason, /HTTP 500.*after 2 attempts/);
  assert.equal(r.passes[2]!.status, 'ok');
  assert.equal(r.status, 'done');
  store.close();
});

test('with a question, a confident state stops the read early and reports the saving; a bad key ends it', async () => {
  const { store, d } = await sample();
  server.script.push({ text: 'ADD Answer: the drift came from float cents (turn 3)\nCONFIDENCE: 0.95' });
  const r = await progressiveRead(store, d, provider(), { window: W, question: 'Why did balances drift?' });
  assert.equal(r.status, 'stopped-early');
  assert.equal(server.requests.length, 1);
  assert.match(server.requests[0]!.user, /Question to answer: Why did balances drift\?/);
  assert.ok(r.saved > 0);
  server.script.push({ status: 401 });
  await assert.rejects(progressiveRead(store, d, provider(), { window: W }), /refused the API key/);
  const last = all(store.db, 'SELECT status FROM progressive_runs ORDER BY id DESC LIMIT 1')[0]!;
  assert.equal(str(last.status), 'failed');
  store.close();
});

test('the OpenAI-compatible provider runs the same read', async () => {
  const { store, d } = await sample();
  const local = new OpenAiCompatibleProvider({ baseURL: `${server.url}/v1`, model: 'llama3.1', retry: { baseDelayMs: 5, maxRetries: 0, timeoutMs: 2_000 } });
  const r = await progressiveRead(store, d, local, { window: W });
  assert.equal(r.status, 'done');
  assert.ok(server.requests.every((q) => q.path === '/v1/chat/completions' && tokensSent(q) <= W));
  store.close();
});

test('after a model distiller ran, the R2 passes read its digests and pass 1 its working context', async () => {
  const { store, d } = await sample();
  const last = d.turns.slice(-2);
  server.fallback = {
    answer: (req) =>
      req.system === DIGEST_SYSTEM
        ? `Intent: model digest of ${/^Turn (\d+)/.exec(req.user)![1]}\nOutcome: done\nFacts: none`
        : '### Current State\n- MODEL CONTEXT\n### Key Decisions\n- none\n### Technical Changes\n- none\n### Open Problems\n- none\n### Session Timeline\n- none',
  };
  const refined = await distillSessionAsync(store, 'latest', new ModelDistiller(provider(), { maxTurns: 2 }));
  server.fallback = { answer: echo };
  server.requests.length = 0;
  await progressiveRead(store, refined, provider(), { window: W });
  assert.match(server.requests[0]!.user, /MODEL CONTEXT/);
  const r2 = server.requests.filter((r) => r.user.includes(', at R2.')).map((r) => r.user).join('\n');
  for (const t of last) assert.match(r2, new RegExp(`- Intent: model digest of ${t}\n`));
  assert.match(r2, /\*\*Intent:\*\* /, 'the other turns keep their extractive digests');
  store.close();
});

test('a read that failed part-way resumes from its stored state, with the detail turns it had asked for', async () => {
  const { store, d } = await sample();
  const K = planRead(d, { window: W }).passes.length;
  const firstDetail = planRead(d, { window: W }).passes.findIndex((p) => p.task === 'add detail');
  server.script.push({ text: 'ADD Outline: a ledger session\nDETAIL: 37-38' });
  for (let i = 1; i < firstDetail + 1; i++) server.script.push({ answer: echo });
  server.script.push({ status: 401 });
  await assert.rejects(progressiveRead(store, d, provider(), { window: W }), /refused the API key/);
  const runId = num(all(store.db, 'SELECT MAX(id) AS id FROM progressive_runs')[0]!.id);
  server.requests.length = 0;
  server.script.length = 0;
  const r = await progressiveRead(store, d, provider(), { window: W, resume: runId });
  assert.equal(r.runId, runId);
  assert.equal(r.status, 'done');
  // The first detail pass was stored; the next one was refused and is the first to run again.
  assert.equal(server.requests.length, K - firstDetail - 1);
  assert.match(server.requests[0]!.user, new RegExp(`^Pass ${firstDetail + 2} of ${K}\\. Task: add detail`));
  assert.match(r.state, /- a ledger session/);
  assert.ok(server.requests.some((q) => q.user.includes('### Turn 37\n')), 'the requested turns are still the ones read');
  assert.equal(all(store.db, 'SELECT pass FROM progressive_passes WHERE run = ?', [runId]).length, K);
  await assert.rejects(progressiveRead(store, d, provider(), { window: W, resume: runId }), /is finished/);
  await assert.rejects(progressiveRead(store, d, provider(), { window: W + 1, resume: runId }), /another session, window or question/);
  store.close();
});

test('edits: ADD, REPLACE, REMOVE, NO_CHANGE, continuation lines, DETAIL ranges, and the state cap', () => {
  const a = parseAnswer('**ADD** Facts: PAGE_SIZE is 400\n- REPLACE Current State: tests pass\nexporter streams\nREMOVE Facts: gone\nDETAIL: 3, 7-9\nCONFIDENCE: 0.4');
  assert.deepEqual(a.edits, [
    { op: 'ADD', section: 'Facts', text: 'PAGE_SIZE is 400' },
    { op: 'REPLACE', section: 'Current State', text: 'tests pass\nexporter streams' },
    { op: 'REMOVE', section: 'Facts', text: 'gone' },
  ]);
  assert.deepEqual(a.detail, [3, 7, 8, 9]);
  assert.equal(a.confidence, 0.4);
  assert.throws(() => parseAnswer('Here is my summary.'), /no edit operation/);
  const s = new ReadState();
  s.apply(a.edits);
  s.apply([{ op: 'ADD', section: 'facts', text: 'second' }, { op: 'REMOVE', section: 'Facts', text: 'PAGE_SIZE is 400' }]);
  assert.deepEqual([...s.sections], [['Facts', ['second']], ['Current State', ['tests pass', 'exporter streams']]]);
  for (let i = 0; i < 200; i++) s.apply([{ op: 'ADD', section: 'Log', text: `line ${i} with some words` }]);
  const dropped = s.trimTo(300);
  assert.ok(dropped > 0 && s.tokens() <= 300);
  assert.deepEqual(s.sections.get('Current State'), ['tests pass', 'exporter streams'], 'the largest section loses its oldest bullets first');
});
