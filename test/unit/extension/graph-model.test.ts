// The graph view's pure logic (webview/graph/model.ts): the type filter, neighbourhoods, search,
// sizes, short labels, deterministic seed positions, label placement and the summary lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { GraphData } from '../../../src/protocol';
import {
  MAX_RADIUS,
  MIN_RADIUS,
  neighbourhood,
  nodeRadius,
  omittedText,
  placeLabels,
  searchMatches,
  seedPositions,
  shortLabel,
  turnsText,
  typeCounts,
  visibleGraph,
} from '../../../webview/graph/model';

const graph: GraphData = {
  sessionId: 's',
  nodes: [
    { id: 1, type: 'file', label: 'src/store/db.ts', weight: 8, turns: [1, 2] },
    { id: 2, type: 'symbol', label: 'openDb', weight: 2, turns: [2] },
    { id: 3, type: 'error', label: 'TypeError: db is undefined', weight: 4, turns: [2] },
    { id: 4, type: 'turn', label: 'turn 2', weight: 6, turns: [2] },
    { id: 5, type: 'decision', label: 'Keep one Database per store', weight: 1, turns: [3] },
  ],
  edges: [
    { source: 1, target: 2, kind: 'defines', weight: 1 },
    { source: 4, target: 1, kind: 'read', weight: 2 },
    { source: 4, target: 3, kind: 'error', weight: 2 },
    { source: 3, target: 1, kind: 'fixed-by', weight: 2 },
  ],
  omitted: [],
  omittedEdges: 0,
};

test('filtering a type hides its nodes and every edge that touches them', () => {
  const v = visibleGraph(graph, new Set(['turn']));
  assert.deepEqual([...v.nodes], [1, 2, 3, 5]);
  assert.deepEqual(v.edges.map((e) => e.kind), ['defines', 'fixed-by']);
  assert.equal(visibleGraph(graph, new Set()).edges.length, 4);
});

test("a node's neighbourhood is itself and the nodes one visible edge away, either direction", () => {
  assert.deepEqual([...neighbourhood(1, graph.edges)].sort(), [1, 2, 3, 4]);
  assert.deepEqual([...neighbourhood(1, visibleGraph(graph, new Set(['turn'])).edges)].sort(), [1, 2, 3]);
  assert.deepEqual([...neighbourhood(5, graph.edges)], [5]);
});

test('search matches labels case-insensitively, heaviest first; a blank query matches nothing', () => {
  assert.deepEqual(searchMatches(graph.nodes, 'DB').map((n) => n.id), [1, 3, 2]);
  assert.deepEqual(searchMatches(graph.nodes, '   '), []);
  assert.deepEqual(searchMatches(graph.nodes, '<img'), []);
});

test('radius grows with the square root of the weight, within its bounds', () => {
  assert.equal(nodeRadius(0, 10), MIN_RADIUS);
  assert.equal(nodeRadius(10, 10), MAX_RADIUS);
  assert.equal(nodeRadius(5, 0), MIN_RADIUS);
  fc.assert(
    fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), (a, b) => {
      const max = Math.max(a, b, 1);
      const [ra, rb] = [nodeRadius(a, max), nodeRadius(b, max)];
      return ra >= MIN_RADIUS && ra <= MAX_RADIUS && (a <= b ? ra <= rb : ra >= rb);
    }),
  );
});

test("short labels: a file's base name, anything else cut with an ellipsis, whitespace folded", () => {
  assert.equal(shortLabel({ type: 'file', label: 'src/store/db.ts' }), 'db.ts');
  assert.equal(shortLabel({ type: 'decision', label: 'Keep one Database per store, never one per request' }, 20), 'Keep one Database p…');
  assert.equal(shortLabel({ type: 'error', label: 'FAIL\n  test/db.test.ts' }), 'FAIL test/db.test.ts');
});

test('seed positions are deterministic and put the heaviest node at the centre', () => {
  const a = seedPositions(graph.nodes);
  const b = seedPositions([...graph.nodes].reverse());
  assert.deepEqual([...a].sort(), [...b].sort());
  const dist = (id: number) => Math.hypot(a.get(id)!.x, a.get(id)!.y);
  assert.ok(graph.nodes.every((n) => n.id === 1 || dist(1) < dist(n.id)));
});

test('labels are placed by priority and never overlap each other', () => {
  const at = (id: number, x: number, y: number, priority: number) => ({ id, x, y, r: 4, width: 60, height: 12, priority });
  // 2 overlaps 1 (placed first: higher priority); 3 is clear of both.
  assert.deepEqual([...placeLabels([at(2, 10, 5, 1), at(1, 0, 0, 5), at(3, 0, 40, 0)])].sort(), [1, 3]);
  fc.assert(
    fc.property(fc.array(fc.record({ x: fc.integer({ min: 0, max: 300 }), y: fc.integer({ min: 0, max: 300 }), w: fc.integer({ min: 5, max: 120 }) }), { maxLength: 40 }), (items) => {
      const cs = items.map((it, i) => ({ id: i, x: it.x, y: it.y, r: 3, width: it.w, height: 12, priority: i % 7 }));
      const boxes = [...placeLabels(cs)].map((id) => cs[id]!).map((c) => ({ x0: c.x + c.r + 2, x1: c.x + c.r + 2 + c.width, y0: c.y - 6, y1: c.y + 6 }));
      return boxes.every((p, i) => boxes.every((q, j) => i === j || !(p.x0 < q.x1 && q.x0 < p.x1 && p.y0 < q.y1 && q.y0 < p.y1)));
    }),
  );
});

test('counts by type, the turns as runs, and what was left out in a sentence', () => {
  assert.deepEqual(typeCounts(graph.nodes, ['file', 'command', 'turn']), [
    { type: 'file', count: 1 },
    { type: 'command', count: 0 },
    { type: 'turn', count: 1 },
  ]);
  assert.equal(turnsText([1, 2, 3, 7, 9, 10]), 'turns 1–3, 7, 9–10');
  assert.equal(turnsText([4]), 'turn 4');
  assert.equal(turnsText([]), 'no turns');
  assert.equal(omittedText({ omitted: [], omittedEdges: 0 }), '');
  assert.equal(omittedText({ omitted: [{ type: 'symbol', count: 12 }], omittedEdges: 0 }), 'Not drawn (lighter than those shown): 12 symbols.');
  assert.equal(
    omittedText({ omitted: [{ type: 'symbol', count: 12 }, { type: 'turn', count: 3 }], omittedEdges: 40 }),
    'Not drawn (lighter than those shown): 12 symbols, 3 turns and 40 edges.',
  );
});
