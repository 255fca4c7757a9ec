// Personalized PageRank's hubs: a node with more than 40 edges is not walked through (unless the
// query named it), and stops being a hub when its edges go.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'sql.js';
import { personalizedPageRank } from '../../../src/core/recall/pagerank';
import { scalar } from '../../../src/core/store/rows';
import { openStore, type Store } from '../../../src/core/store/store';

function node(db: Database, type: string, name: string): number {
  db.run('INSERT INTO graph_nodes (type, name) VALUES (?, ?)', [type, name]);
  return scalar(db, 'SELECT last_insert_rowid()');
}

/** A file read in one turn, and a command (the hub) run in that turn and 44 others. */
async function graphWithHub(): Promise<{ store: Store; file: number; turn: number; hub: number; others: number[] }> {
  const store = await openStore(':memory:');
  return store.write((db) => {
    const file = node(db, 'file', 'src/a.ts');
    const turn = node(db, 'turn', '1:1');
    const hub = node(db, 'command', 'npm test');
    const edge = (src: number, dst: number, kind: string) => db.run('INSERT INTO graph_edges (src, dst, kind, weight, at) VALUES (?, ?, ?, 1, 0)', [src, dst, kind]);
    edge(turn, file, 'read');
    edge(turn, hub, 'ran');
    const others: number[] = [];
    for (let i = 2; i <= 45; i++) {
      const t = node(db, 'turn', `1:${i}`);
      others.push(t);
      edge(t, hub, 'ran');
    }
    return { store, file, turn, hub, others };
  });
}

test('a hub is not walked through unless the query names it, and is walked once enough of its edges are gone', async () => {
  const { store, file, turn, hub, others } = await graphWithHub();
  const first = personalizedPageRank(store.db, new Map([[file, 1]]));
  assert.ok(first.get(turn)! > 0, 'the turn that read the file is reached');
  // The hub (45 edges) gets its share from the turn, but is not walked through: the turns only it
  // links are not reached.
  assert.ok(others.every((t) => !first.has(t)));
  assert.deepEqual(personalizedPageRank(store.db, new Map([[file, 1]])), first, 'the same walk again');
  // Named by the query, a hub is walked (through the first 41 of its edges).
  const named = personalizedPageRank(store.db, new Map([[hub, 1]]));
  assert.ok(others.filter((t) => named.get(t)! > 0).length >= 39);
  // Ten of its turns go: 35 edges, no longer a hub, and the next walk goes through it.
  store.write((db) => db.run(`DELETE FROM graph_edges WHERE src IN (${others.slice(0, 10).join(',')})`));
  const after = personalizedPageRank(store.db, new Map([[file, 1]]));
  assert.ok(others.slice(10).every((t) => after.get(t)! > 0));
  store.close();
});
