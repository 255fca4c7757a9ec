// What the host sends the visualiser's graph (src/extension/lib/graph.ts) and how both sides
// validate the graph's messages: a graph passes only with edges between its own nodes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGraph } from '../../../src/extension/lib/graph';
import { parseFromWebview, parseToWebview, type GraphData } from '../../../src/protocol';
import { recallFixture, SESSION } from '../recall/fixture';

const asReceived = (graph: unknown) => JSON.parse(JSON.stringify({ messageId: 1, body: { type: 'didLoadGraph', graph } }));

test("the graph of a session is sent with its session id and passes the webview's validation", async () => {
  const { store } = await recallFixture();
  const graph = buildGraph(store, SESSION);
  assert.equal(graph.sessionId, SESSION);
  assert.ok(graph.nodes.some((n) => n.type === 'file' && n.label === 'src/cart/totals.ts'));
  assert.ok(graph.edges.length > 0);
  assert.deepEqual(parseToWebview(asReceived(graph))?.body, { type: 'didLoadGraph', graph });
  store.close();
});

test('a graph with an edge to a missing node, an unknown type or a bad turn is refused', () => {
  const good: GraphData = {
    sessionId: 's1',
    nodes: [
      { id: 1, type: 'file', label: 'a.ts', weight: 2, turns: [1, 3] },
      { id: 2, type: 'turn', label: 'turn 1', weight: 2, turns: [1] },
    ],
    edges: [{ source: 2, target: 1, kind: 'read', weight: 2 }],
    omitted: [{ type: 'symbol', count: 4 }],
    omittedEdges: 3,
  };
  assert.ok(parseToWebview(asReceived(good)));
  const bad: unknown[] = [
    { ...good, edges: [{ source: 2, target: 9, kind: 'read', weight: 1 }] },
    { ...good, nodes: [{ ...good.nodes[0], type: 'tool' }, good.nodes[1]] },
    { ...good, nodes: [{ ...good.nodes[0], turns: [-1] }, good.nodes[1]] },
    { ...good, nodes: [{ ...good.nodes[0], label: 7 }, good.nodes[1]] },
    { ...good, nodes: [good.nodes[0], { ...good.nodes[1], id: 1 }] },
    { ...good, omitted: [{ type: 'file', count: -1 }] },
    { ...good, omittedEdges: undefined },
    { ...good, sessionId: '<img src=x>' },
  ];
  for (const g of bad) assert.equal(parseToWebview(asReceived(g)), undefined, JSON.stringify(g));
});

test('requestGraph is accepted with a session id and nothing else', () => {
  assert.deepEqual(parseFromWebview({ messageId: 4, body: { type: 'requestGraph', sessionId: 'abc-1', extra: 1 } }), {
    messageId: 4,
    body: { type: 'requestGraph', sessionId: 'abc-1' },
  });
  assert.equal(parseFromWebview({ messageId: 5, body: { type: 'requestGraph', sessionId: '../x' } }), undefined);
  assert.equal(parseFromWebview({ messageId: 6, body: { type: 'requestGraph' } }), undefined);
});
