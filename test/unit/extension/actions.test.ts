// The host side of the actions panel (src/extension/lib/actions.ts): a compaction of a turn range
// within its budget, recall scoped to a range, and the plan of a progressive read from a turn.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compactSession } from '../../../src/core/assemble/compact';
import { distillSession } from '../../../src/core/distill/units';
import { recall } from '../../../src/core/recall/recall';
import { countExact } from '../../../src/core/tokens/count';
import { compactPreview, DistilledCache, readLevels, readPlanMessage, recallItems, runHint, sessionFrom } from '../../../src/extension/lib/actions';
import { parseToWebview } from '../../../src/protocol';
import { sampleStore } from '../sample';
import { recallFixture, SESSION } from '../recall/fixture';


test('a compaction of a turn range stays within its budget and shows only turns of the range', async () => {
  const { store, id } = await sampleStore();
  const turns = store.turns(id).map((t) => t.index);
  assert.ok(turns.length >= 6, `the sample has ${turns.length} turns`);
  const fromTurn = turns[1]!;
  const toTurn = turns[3]!;
  for (const budget of [3_000, 8_000, 30_000]) {
    const r = await compactSession(store, id, { budget, fromTurn, toTurn });
    assert.ok(r.tokens <= budget, `${r.tokens} > ${budget}`);
    assert.equal(r.tokens, countExact(r.markdown));
    assert.deepEqual([...r.levels.keys()], turns.filter((t) => t >= fromTurn && t <= toTurn), 'only the range is planned');
    for (const t of turns.filter((t) => t < fromTurn || t > toTurn)) assert.doesNotMatch(r.markdown, new RegExp(`### Turn ${t}\\b`));
  }
  // The range's archived turns come back: with room, every turn of the range is shown.
  const roomy = await compactSession(store, id, { budget: 60_000, fromTurn, toTurn });
  assert.ok([...roomy.levels.values()].every((l) => l !== 'none'), JSON.stringify([...roomy.levels]));
  store.close();
});

test('the live preview counts what the compaction would hold, and a budget too small is an answer, not a failure', async () => {
  const { store, id } = await sampleStore();
  const d = distillSession(store, id);
  const turns = d.turns;
  const scope = { fromTurn: turns[0]!, toTurn: turns[2]! };
  const preview = await compactPreview(d, 8_000, scope);
  const real = await compactSession(store, id, { budget: 8_000, ...scope });
  assert.equal(preview.tokens, real.tokens);
  assert.ok(preview.tokens <= 8_000);
  assert.equal(preview.levels.none + preview.levels.R2 + preview.levels.R1 + preview.levels.R0, 3);
  assert.equal(preview.sessionTokens, d.events.filter((e) => e.turn >= scope.fromTurn && e.turn <= scope.toTurn).reduce((n, e) => n + e.tokens, 0));
  assert.deepEqual({ fromTurn: preview.fromTurn, toTurn: preview.toTurn }, scope);
  assert.ok(parseToWebview({ messageId: 1, body: preview }), 'the preview passes the webview validator');

  const tiny = await compactPreview(d, 40);
  assert.equal(tiny.tokens, 0);
  assert.match(tiny.error ?? '', /budget of 40 tokens is too small/);
  assert.ok(parseToWebview({ messageId: 1, body: tiny }));
  store.close();
});

test('the distillation is reused while the session does not change', async () => {
  const { store, id } = await sampleStore();
  const cache = new DistilledCache();
  assert.equal(cache.get(store, id), cache.get(store, id));
  store.close();
});

test('recall scoped to a turn range only returns hits in that range', async () => {
  const { store } = await recallFixture();
  const all = recall(store, 'totals', { session: SESSION, record: false, graphWeight: 0 }).hits.map((h) => h.turn);
  assert.ok(all.includes(1) && all.includes(2), JSON.stringify(all));
  const scoped = recallItems(store, SESSION, 'totals', { fromTurn: 2, toTurn: 2 });
  assert.ok(scoped.hits.length > 0);
  assert.ok(scoped.hits.every((h) => h.turn === 2), JSON.stringify(scoped.hits));
  assert.deepEqual([scoped.fromTurn, scoped.toTurn], [2, 2]);
  // The graph's turns are scoped too: "discount" reaches turn 2 through the graph, not turn 1 here.
  const viaGraph = recallItems(store, SESSION, 'discount', { fromTurn: 2 });
  assert.ok(viaGraph.hits.every((h) => h.turn >= 2), JSON.stringify(viaGraph.hits));
  assert.ok(parseToWebview({ messageId: 1, body: scoped }));
  assert.deepEqual(recallItems(store, SESSION, '   ').hits, [], 'an empty query finds nothing and does not search');
  store.close();
});

test('the plan of a read from a turn starts there, and the message says running needs a model when the distiller is extractive', async () => {
  const { store, id } = await sampleStore();
  const d = distillSession(store, id);
  const from = d.turns[3]!;
  const m = readPlanMessage(store, d, { window: 16_000, fromTurn: from, distiller: 'extractive', model: '', endpoint: '' });
  assert.ok(m.plan, m.error);
  assert.equal(m.plan.fromTurn, from);
  assert.equal(m.plan.toTurn, d.turns.at(-1));
  assert.equal(m.plan.passes[0]!.level, 'R4+R3');
  assert.ok(m.plan.passes.every((p) => p.fromTurn >= from), JSON.stringify(m.plan.passes));
  assert.ok(m.plan.passes.every((p) => p.promptTokens < 16_000));
  assert.equal(m.canRun, false);
  assert.match(m.runHint, /Running needs a model/);
  assert.match(m.runHint, /loupe\.distiller/);
  assert.ok(parseToWebview({ messageId: 1, body: m }), 'the plan passes the webview validator');

  const runnable = readPlanMessage(store, d, { window: 16_000, distiller: 'anthropic', model: '', endpoint: '' });
  assert.equal(runnable.canRun, true);
  assert.equal(runnable.plan!.fromTurn, d.turns[0]);

  const tooSmall = readPlanMessage(store, d, { window: 500, distiller: 'anthropic', model: '', endpoint: '' });
  assert.equal(tooSmall.plan, null);
  assert.equal(tooSmall.canRun, false);
  assert.match(tooSmall.error ?? '', /too small/);
  assert.throws(() => sessionFrom(d, d.turns.at(-1)! + 5), /no turn/);
  store.close();
});

test('each distiller says whether a read can run and what to set', () => {
  assert.equal(runHint('extractive', '', '').canRun, false);
  assert.equal(runHint('openai-compatible', 'llama3', '').canRun, false);
  assert.match(runHint('openai-compatible', 'llama3', '').runHint, /loupe\.endpoint/);
  assert.equal(runHint('openai-compatible', 'llama3', 'http://localhost:11434/v1').canRun, true);
  assert.equal(runHint('vscode-lm', '', '').canRun, true);
  assert.doesNotMatch(JSON.stringify(['anthropic', 'openai-compatible', 'vscode-lm', 'extractive'].map((k) => runHint(k, 'm', 'http://x'))), /sk-|apiKey/);
});

test('the levels read so far: pass 1 reads every turn at R3, later passes sharpen only their turns', () => {
  const turns = [1, 2, 3, 4, 5, 6];
  assert.deepEqual(readLevels([{ level: 'R4+R3', turnFrom: 1, turnTo: 6 }], turns), turns.map((t) => [t, 3]));
  const after = readLevels(
    [
      { level: 'R4+R3', turnFrom: 1, turnTo: 6 },
      { level: 'R2', turnFrom: 1, turnTo: 4 },
      { level: 'R1', turnFrom: 2, turnTo: 5, turns: [2, 5] },
      { level: 'R2', turnFrom: 5, turnTo: 6 },
    ],
    turns,
  );
  assert.deepEqual(after, [[1, 2], [2, 1], [3, 2], [4, 2], [5, 1], [6, 2]]);
});
