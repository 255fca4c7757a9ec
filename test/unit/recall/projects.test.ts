// Recall and related keep projects apart (issue 12): files and symbols are nodes within their
// project, a name is looked up within one project unless asked otherwise, and a turn found only
// through the graph is shown from a floor on. Before, `README.md` of every project was one node,
// and `related hardhat.config.js` walked another project's files through the word `config`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { sessionGraph } from '../../../src/core/recall/graph-view';
import { ensureRecorded, GRAPH_ONLY_FLOOR, recall } from '../../../src/core/recall/recall';
import { related } from '../../../src/core/recall/related';
import { catchUp, recordingBehind } from '../../../src/core/recall/write';
import { all } from '../../../src/core/store/rows';
import { openStore, type Store } from '../../../src/core/store/store';
import { tempDir } from '../helpers';
import { DEEP_SYMBOL, SHOP, twoProjects, WEATHER } from './projects';

const projectOfSession = (store: Store, sessionId: string) => store.resolveSession(sessionId).cwd;

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

test('related seeds a name within the session’s project; without one, where the name occurs, naming the other projects', async () => {
  const { store } = await twoProjects();
  for (const p of [SHOP, WEATHER]) {
    const r = related(store, 'config.toml', { session: p.session, record: false });
    assert.deepEqual(r.seeds, [{ type: 'file', name: 'config.toml', project: p.cwd }]);
    assert.ok(r.turns.length > 0);
    assert.ok(r.turns.every((t) => projectOfSession(store, t.sessionId) === p.cwd), JSON.stringify(r.turns));
    assert.ok(r.nodes.every((n) => n.project === p.cwd || n.project === ''), JSON.stringify(r.nodes));
    assert.deepEqual(r.otherProjects, [p === SHOP ? WEATHER.cwd : SHOP.cwd]);
  }
  // A base name alone, in the session's project only.
  assert.deepEqual(related(store, 'README', { session: SHOP.session, record: false }).seeds, [{ type: 'file', name: 'README.md', project: SHOP.cwd }]);
  // No session: both projects name config.toml as strongly; the one worked in last is walked.
  const anywhere = related(store, 'config.toml', { record: false });
  assert.deepEqual(anywhere.projects, [WEATHER.cwd]);
  assert.deepEqual(anywhere.otherProjects, [SHOP.cwd]);
  const all_ = related(store, 'config.toml', { allProjects: true, record: false });
  assert.deepEqual(all_.seeds.map((s) => s.project).sort(), [SHOP.cwd, WEATHER.cwd]);
  // A file name's parts seed nothing: weather.config.js does not reach either config.toml through `config`.
  const config = related(store, 'weather.config.js', { record: false });
  assert.deepEqual(config.seeds, [{ type: 'file', name: 'weather.config.js', project: WEATHER.cwd }]);
  assert.ok(!config.nodes.some((n) => n.name === 'config.toml'), JSON.stringify(config.nodes));
  store.close();
});

test('recall seeds the names it is given in the projects of its text hits', async () => {
  const { store } = await twoProjects();
  // Only weather's text names weather.config.js; its parts (`config`) no longer reach shop-api's config.toml.
  const hits = recall(store, 'weather.config.js', { record: false, limit: 50 }).hits;
  assert.ok(hits.some((h) => h.bm25 > 0));
  assert.ok(hits.every((h) => h.sessionId === WEATHER.session), JSON.stringify(hits.map((h) => [h.sessionId, h.turn, h.bm25])));
  // A name the text hits' project does not have seeds nothing, unless every project is asked for:
  // only weather's text says "Done", only shop-api's code defines DEEP_SYMBOL.
  const query = `Done ${DEEP_SYMBOL}`;
  assert.ok(recall(store, query, { record: false, limit: 50 }).hits.every((h) => h.sessionId === WEATHER.session));
  const everywhere = recall(store, query, { record: false, limit: 50, allProjects: true }).hits;
  assert.ok(everywhere.some((h) => h.sessionId === SHOP.session && h.turn === 3 && h.bm25 === 0), JSON.stringify(everywhere));
  store.close();
});

test('a query with no text match returns no graph-only hits below the floor', async () => {
  const { store } = await twoProjects();
  // DEEP_SYMBOL is defined in src/server.ts past the head the index keeps: only the graph knows it.
  const everything = recall(store, DEEP_SYMBOL, { record: false, graphOnlyFloor: 0, limit: 50 }).hits;
  assert.ok(everything.length > 0 && everything.every((h) => h.bm25 === 0), JSON.stringify(everything));
  const weak = everything.filter((h) => h.graph < GRAPH_ONLY_FLOOR);
  assert.ok(weak.length > 0, 'the fixture has turns the graph reaches only weakly (the later re-reads of config.toml)');
  const shown = recall(store, DEEP_SYMBOL, { record: false, limit: 50 }).hits;
  assert.ok(shown.every((h) => h.graph >= GRAPH_ONLY_FLOOR), JSON.stringify(shown));
  assert.deepEqual(shown.map((h) => h.turn), everything.filter((h) => h.graph >= GRAPH_ONLY_FLOOR).map((h) => h.turn));
  // What is left is what the symbol is about: the read that defines it and the edit of its file.
  assert.ok([3, 4].every((turn) => shown.some((h) => h.turn === turn)), JSON.stringify(shown));
  assert.ok(shown.every((h) => h.sessionId === SHOP.session));
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

test('loupe related says which project it looked in, names the others, and takes --session and --all-projects', async () => {
  const { db, store } = await twoProjects();
  store.close();
  const cli = join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
  const loupe = (...args: string[]) =>
    spawnSync(process.execPath, [cli, '--db', db, ...args], { encoding: 'utf8', env: { ...process.env, HOME: tempDir('loupe-home-'), CLAUDE_CONFIG_DIR: '', LOUPE_DB: '' } });
  const anywhere = loupe('related', 'config.toml');
  assert.equal(anywhere.status, 0, anywhere.stderr);
  assert.match(anywhere.stdout, /^related to file config\.toml in \/home\/ben\/weather; also named in shop-api \(--all-projects\):\n/);
  assert.match(loupe('related', 'config.toml', '--session', SHOP.session.slice(0, 8)).stdout, /^related to file config\.toml in \/home\/ana\/shop-api; also named in weather/);
  assert.match(loupe('related', 'config.toml', '--all-projects').stdout, /^related to file config\.toml \(shop-api\), file config\.toml \(weather\):\n/);
  const none = loupe('related', 'weather.config.js', '--session', SHOP.session.slice(0, 8));
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no file or symbol matching "weather\.config\.js" in \/home\/ana\/shop-api; also named in weather/);
});
