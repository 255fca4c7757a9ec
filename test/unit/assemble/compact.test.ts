// Compaction: the budget bound (property-tested), pins, the query, determinism.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BudgetTooSmallError, compactSession } from '../../../src/core/assemble/compact';
import { ingestPaths } from '../../../src/core/ingest';
import { openStore } from '../../../src/core/store/store';
import { countExact } from '../../../src/core/tokens/count';
import { generateSession, writeProjects } from '../../fixtures/generate';
import { tempDir } from '../helpers';
import { sampleStore } from '../sample';


test('the output never exceeds the budget and says what it kept', async () => {
  const { store, id } = await sampleStore();
  for (const budget of [1_500, 4_000, 8_000, 20_000, 60_000]) {
    const r = await compactSession(store, id, { budget });
    assert.ok(r.tokens <= budget, `${r.tokens} > ${budget}`);
    assert.equal(r.tokens, countExact(r.markdown));
    assert.match(r.markdown, /^# Session context: /);
    assert.match(r.markdown, r.header === 'R3' ? /## Working context/ : /## Outline/);
    if (budget >= 8_000) assert.ok(r.tokens > budget * 0.8, `budget ${budget} under-used: ${r.tokens}`);
  }
});

test('pins: the last user prompt and the open errors are kept while they fit', async () => {
  const { store, id } = await sampleStore();
  const turns = store.turns(id);
  const lastPrompt = turns[turns.length - 1]!.prompt;
  const r = await compactSession(store, id, { budget: 6_000 });
  assert.ok(r.markdown.includes(lastPrompt.slice(0, 60)), 'last prompt missing');
  assert.ok(['R1', 'R0'].includes(r.levels.get(turns[turns.length - 1]!.index)!));
});

test('a budget too small for even the outline says so', async () => {
  const { store, id } = await sampleStore();
  await assert.rejects(compactSession(store, id, { budget: 40 }), (err: Error) => {
    assert.ok(err instanceof BudgetTooSmallError);
    assert.match(err.message, /budget of 40 tokens is too small/);
    return true;
  });
});

test('the same input gives the same output', async () => {
  const a = await sampleStore();
  const b = await sampleStore();
  const ra = await compactSession(a.store, a.id, { budget: 7_000, query: 'pool timeout' });
  const rb = await compactSession(b.store, b.id, { budget: 7_000, query: 'pool timeout' });
  assert.equal(ra.markdown.replace(/e\d+/g, 'e#'), rb.markdown.replace(/e\d+/g, 'e#'));
  assert.equal(ra.markdown, (await compactSession(a.store, a.id, { budget: 7_000, query: 'pool timeout' })).markdown);
});

test('a query raises an old turn that the default leaves in the working context', async () => {
  const { store, id } = await sampleStore();
  const turns = store.turns(id);
  // An early prompt's distinctive words: absent by default at a small budget, present with the query.
  const early = turns.slice(2, 20).find((t) => /[a-z]{6,}/.test(t.prompt))!;
  const phrase = early.prompt.slice(0, 40);
  const plain = await compactSession(store, id, { budget: 3_000 });
  const raised = await compactSession(store, id, { budget: 3_000, query: early.prompt.slice(0, 80) });
  assert.equal(plain.levels.get(early.index), 'none');
  assert.notEqual(raised.levels.get(early.index), 'none');
  assert.ok(raised.markdown.includes(phrase), `"${phrase}" missing`);
});

test('property: for random sessions and budgets, the output fits and the last prompt is kept when it fits', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 12, max: 40 }), fc.integer({ min: 200, max: 12_000 }), async (seed, turns, budget) => {
      const root = tempDir();
      const session = generateSession({ seed, turns });
      writeProjects(root, [session]);
      const store = await openStore(':memory:');
      await ingestPaths(store, [root], { workerScript: null });
      try {
        const r = await compactSession(store, session.sessionId, { budget });
        assert.ok(r.tokens <= budget, `seed ${seed}: ${r.tokens} > ${budget}`);
        const all = store.turns(session.sessionId);
        const last = all[all.length - 1]!;
        if (budget >= 4_000) assert.ok(r.markdown.includes(last.prompt.slice(0, 40)), `seed ${seed}: last prompt missing at ${budget}`);
      } catch (err) {
        if (!(err instanceof BudgetTooSmallError)) throw err;
        assert.ok(budget < 1_000, `seed ${seed}: budget ${budget} refused: ${(err as Error).message}`);
      }
    }),
    { numRuns: 25, seed: 42 },
  );
});
