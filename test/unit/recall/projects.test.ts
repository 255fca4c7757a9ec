// Recall and related keep projects apart (issue 12): files and symbols are nodes within their
// project. Before, `README.md` of every project was one node, and the graph linked projects that
// only shared a file name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sessionGraph } from '../../../src/core/recall/graph-view';
import { ensureRecorded } from '../../../src/core/recall/recall';
import { catchUp, recordingBehind } from '../../../src/core/recall/write';
import { all } from '../../../src/core/store/rows';
import { openStore, type Store } from '../../../src/core/store/store';
import { SHOP, twoProjects, WEATHER } from './projects';

test('the same relative path in two projects is two nodes; a path outside its project stays absolute', async () => {
  const { store } = await twoProjects();
  ensureRecorded(store);
  const projectsOf = (name: string) => all(store.db, "SELECT project FROM graph_nodes WHERE type = 'file' AND name = ? ORDER BY project", [name]).map((r) => r.project);
  assert.deepEqual(projectsOf('config.toml'), [SHOP.cwd, WEATHER.cwd]);
  assert.deepEqual(projectsOf('README.md'), [SHOP.cwd, WEATHER.cwd]);
  assert.deepEqual(projectsOf('/home/ben/.config/weather/settings.toml'), [WEATHER.cwd]);
  assert.deepEqual(projectsOf(`${SHOP.cwd}/config.toml`), [], 'a path inside its project is named within it');
  assert.deepEqual(
    all(store.db, "SELECT DISTINCT project FROM graph_nodes WHERE type = 'symbol'").map((r) => r.project),
    [SHOP.cwd],
    'symbols are within their project too',
  );
  // No turn reaches a file of another project.
  const crossing = all(
    store.db,
    `SELECT t.name AS turn, f.project FROM graph_edges e JOIN graph_nodes t ON t.id = e.src JOIN graph_nodes f ON f.id = e.dst
     JOIN sessions s ON s.key = CAST(substr(t.name, 1, instr(t.name, ':') - 1) AS INTEGER)
     WHERE t.type = 'turn' AND f.type = 'file' AND f.project <> s.cwd`,
  );
  assert.deepEqual(crossing, []);
  // The error both hit names each one's config.toml; a session's graph view draws its own.
  for (const p of [SHOP, WEATHER]) {
    const view = sessionGraph(store, p.session);
    assert.ok(view.nodes.some((n) => n.type === 'error'), 'the shared error is drawn');
    assert.equal(view.nodes.filter((n) => n.label === 'config.toml').length, 1, `${p.cwd}: one config.toml`);
  }
  store.close();
});

test("an older database's graph is rebuilt with files within their project, a step at a time", async () => {
  const byNames = (store: Store) => {
    const ids = new Map(all(store.db, 'SELECT key, id FROM sessions').map((r) => [String(r.key), String(r.id)]));
    const name = (type: unknown, project: unknown, n: unknown) =>
      type === 'turn' ? `turn ${ids.get(String(n).split(':')[0]!)}:${String(n).split(':')[1]}` : `${String(type)} ${String(project)}:${String(n)}`;
    return all(
      store.db,
      `SELECT a.type AS at_, a.project AS ap, a.name AS an, b.type AS bt, b.project AS bp, b.name AS bn, e.kind, e.weight
       FROM graph_edges e JOIN graph_nodes a ON a.id = e.src JOIN graph_nodes b ON b.id = e.dst`,
    )
      .map((r) => `${name(r.at_, r.ap, r.an)} -${String(r.kind)}:${Number(r.weight)}-> ${name(r.bt, r.bp, r.bn)}`)
      .sort();
  };
  const fresh = await twoProjects();
  ensureRecorded(fresh.store);
  const expected = byNames(fresh.store);
  // The database as version 9 left it: one node per relative path, whichever project it came from.
  fresh.store.write((db) => {
    db.run(`DROP TABLE graph_rebuild; DROP TABLE graph_nodes;
            CREATE TABLE graph_nodes (id INTEGER PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL, key TEXT, UNIQUE (type, name));
            CREATE INDEX graph_nodes_key ON graph_nodes(key) WHERE key IS NOT NULL;
            DELETE FROM graph_edges; DELETE FROM graph_contrib;
            INSERT INTO graph_nodes (id, type, name, key) VALUES (1, 'file', 'config.toml', 'config'), (2, 'turn', '1:1', NULL), (3, 'turn', '2:1', NULL);
            INSERT INTO graph_edges (src, dst, kind, weight, at) VALUES (2, 1, 'edited', 2, 0), (3, 1, 'edited', 2, 0);
            DELETE FROM schema_version WHERE version = 10;`);
  });
  fresh.store.close();
  const store = await openStore(fresh.db);
  assert.ok(recordingBehind(store.db), 'the migration queued the rebuild');
  await catchUp(store, { step: 7 });
  assert.equal(recordingBehind(store.db), false);
  assert.deepEqual(byNames(store), expected);
  store.close();
});
