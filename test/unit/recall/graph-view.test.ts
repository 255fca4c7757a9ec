// The graph the visualiser draws for one session (src/core/recall/graph-view.ts), on the recall
// fixture: what a turn touched, what its text named, the turns of each, the cut to a budget, and
// a second session's turns kept apart.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths } from '../../../src/core/ingest';
import { sessionGraph, type SessionGraph } from '../../../src/core/recall/graph-view';
import { assistant, CWD, jsonl, PROJECT, prompt, text, toolResult, toolUse, writeFile } from '../helpers';
import { recallFixture, SESSION } from './fixture';

const byLabel = (g: SessionGraph, label: string) => g.nodes.find((n) => n.label === label);

test('a session graph holds what its turns touched, with the turns each touched, and no tool hubs', async () => {
  const { store } = await recallFixture();
  const g = sessionGraph(store, SESSION);
  const totals = byLabel(g, 'src/cart/totals.ts');
  assert.deepEqual([totals?.type, totals?.turns], ['file', [1, 2]]);
  assert.equal(byLabel(g, 'npm test')?.type, 'command');
  assert.equal(byLabel(g, 'getUserName')?.type, 'symbol');
  const error = g.nodes.find((n) => n.type === 'error');
  assert.match(error?.label ?? '', /^TypeError: Cannot read properties of undefined/);
  assert.deepEqual(error!.turns, [1]);
  // Tools join every turn: left out, not even counted as omitted.
  assert.ok(!g.nodes.some((n) => (n.type as string) === 'tool' || n.label === 'Edit' || n.label === 'Bash'));
  assert.deepEqual(g.omitted, []);
  // Turn nodes join the entities; each is its own turn.
  const turns = g.nodes.filter((n) => n.type === 'turn');
  assert.deepEqual(turns.map((n) => n.label), ['turn 1', 'turn 2', 'turn 3', 'turn 4', 'turn 5']);
  assert.ok(turns.every((n) => n.turns.length === 1 && n.label === `turn ${n.turns[0]}`));
  // Weight: the summed weight of the node's edges (totals.ts: edited in turns 1 and 2, fixed-by the error).
  assert.equal(byLabel(g, 'src/cart/totals.ts')!.weight, 2 + 2 + 2);
  const ids = new Set(g.nodes.map((n) => n.id));
  assert.ok(g.edges.every((e) => ids.has(e.source) && ids.has(e.target)));
  assert.ok(g.edges.some((e) => e.source === error!.id && e.target === byLabel(g, 'src/cart/totals.ts')!.id && e.kind === 'fixed-by'));
  store.close();
});

test('what the text named joins the graph with the turns it was read in: an error names a file, a read file defines symbols', async () => {
  const { store } = await recallFixture();
  const g = sessionGraph(store, SESSION);
  // discount.ts is only in the stack trace of turn 1's error: no turn edits or reads it.
  const discount = byLabel(g, 'src/pricing/discount.ts');
  assert.deepEqual([discount?.type, discount?.turns], ['file', [1]]);
  const error = g.nodes.find((n) => n.type === 'error')!;
  assert.ok(g.edges.some((e) => e.source === error.id && e.target === discount!.id && e.kind === 'mentions'));
  for (const symbol of ['windowMs', 'tokenBucket']) assert.deepEqual(byLabel(g, symbol)?.turns, [4], symbol);
  store.close();
});

test('the graph is cut to the heaviest entities and turns, and says how much was left out', async () => {
  const { store } = await recallFixture();
  const whole = sessionGraph(store, SESSION);
  const g = sessionGraph(store, SESSION, { limit: 3, turnLimit: 2 });
  const entities = g.nodes.filter((n) => n.type !== 'turn');
  assert.deepEqual(
    entities.map((n) => n.label),
    whole.nodes.filter((n) => n.type !== 'turn').slice(0, 3).map((n) => n.label),
  );
  assert.ok(entities.every((n, i) => i === 0 || entities[i - 1]!.weight >= n.weight), 'heaviest first');
  assert.equal(g.nodes.filter((n) => n.type === 'turn').length, 2);
  const left = g.omitted.reduce((a, o) => a + o.count, 0);
  assert.equal(g.nodes.length + left, whole.nodes.length);
  assert.deepEqual(g.omitted.find((o) => o.type === 'turn'), { type: 'turn', count: 3 });
  const ids = new Set(g.nodes.map((n) => n.id));
  assert.ok(g.edges.every((e) => ids.has(e.source) && ids.has(e.target)), 'only edges among drawn nodes');
  assert.equal(g.edges.length + g.omittedEdges, whole.edges.length);
  // A left-out node still counts in the weight of the drawn ones, and in their turns.
  assert.deepEqual(byLabel(g, 'src/cart/totals.ts')?.turns, [1, 2]);
  store.close();
});

test("another session's turns stay out of this session's graph, though the two share file nodes", async () => {
  const { store, dir } = await recallFixture();
  const OTHER = '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5';
  const c = (uuid: string, parent: string | null) => ({ uuid, parent, sessionId: OTHER });
  writeFile(
    join(dir, 'projects', PROJECT, `${OTHER}.jsonl`),
    jsonl([
      prompt(c('o1', null), 'Rename the total helper'),
      assistant({ ...c('o2', 'o1'), messageId: 'om1' }, toolUse('k1', 'Edit', { file_path: `${CWD}/src/cart/totals.ts`, old_string: 'a', new_string: 'b' })),
      toolResult(c('o3', 'o2'), 'k1', `The file ${CWD}/src/cart/totals.ts has been updated.`, { toolUseResult: { filePath: `${CWD}/src/cart/totals.ts`, oldString: 'a', newString: 'b', structuredPatch: [] } }),
      assistant({ ...c('o4', 'o3'), messageId: 'om2' }, text('Also see src/cart/other.ts for the helper.')),
    ]),
  );
  await ingestPaths(store, [dir], { workerScript: null });
  const mine = sessionGraph(store, SESSION);
  assert.deepEqual(byLabel(mine, 'src/cart/totals.ts')?.turns, [1, 2]);
  assert.equal(byLabel(mine, 'src/cart/other.ts'), undefined);
  assert.equal(mine.nodes.filter((n) => n.type === 'turn').length, 5);
  const theirs = sessionGraph(store, OTHER);
  assert.deepEqual(byLabel(theirs, 'src/cart/totals.ts')?.turns, [1]);
  assert.ok(byLabel(theirs, 'src/cart/other.ts'));
  assert.equal(byLabel(theirs, 'README.md'), undefined);
  store.close();
});

test('an unknown session has an empty graph', async () => {
  const { store } = await recallFixture();
  assert.deepEqual(sessionGraph(store, 'no-such-session'), { nodes: [], edges: [], omitted: [], omittedEdges: 0 });
  store.close();
});
