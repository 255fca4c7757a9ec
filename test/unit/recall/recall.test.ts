// Recall through the core API: identifiers found by their parts, the graph finding what BM25
// alone misses, supersession, budgets and read-back, touch times, incremental indexing.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { distillSession } from '../../../src/core/distill/units';
import { ingestPaths } from '../../../src/core/ingest';
import { recall } from '../../../src/core/recall/recall';
import { related } from '../../../src/core/recall/related';
import { catchUp, recordAll } from '../../../src/core/recall/write';
import { RECALL_JOINED_MIGRATION } from '../../../src/core/store/migrations/recall-joined';
import { all } from '../../../src/core/store/rows';
import { CWD, jsonl, prompt } from '../helpers';
import { recallFixture, SESSION } from './fixture';

test('identifiers are findable by their parts: camelCase, snake_case, paths and dotted names', async () => {
  const { store } = await recallFixture();
  const turnOf = (q: string) => recall(store, q, { graphWeight: 0, record: false }).hits.map((h) => h.turn);
  for (const q of ['getUserName', 'UserName', 'user', 'parse_cookie_header', 'cookie header', 'cookieJar', 'jar', 'lib/http/cookieJar.ts', 'http/cookieJar', 'config.sessionTtlSeconds', 'sessionTtlSeconds', 'ttl']) {
    assert.equal(turnOf(q)[0], 5, `"${q}" → ${JSON.stringify(turnOf(q))}`);
  }
  assert.deepEqual(turnOf('nonexistentword'), []);
  store.close();
});

test('the ranking combines BM25 with the graph and finds a turn linked only through the graph', async () => {
  const { store } = await recallFixture();
  // Turn 2 edited src/cart/totals.ts, which turn 1 edited because of an error thrown in
  // src/pricing/discount.ts. Turn 2 never names the discount code: BM25 alone cannot find it.
  const textOnly = recall(store, 'discount', { graphWeight: 0, record: false });
  assert.ok(textOnly.hits.length > 0);
  assert.ok(textOnly.hits.every((h) => h.turn === 1), JSON.stringify(textOnly.hits));
  const combined = recall(store, 'discount', { record: false });
  assert.equal(combined.hits[0]!.turn, 1);
  const viaGraph = combined.hits.find((h) => h.turn === 2);
  assert.ok(viaGraph, JSON.stringify(combined.hits));
  assert.equal(viaGraph.bm25, 0);
  assert.ok(viaGraph.graph > 0);
  // The unrelated README turn is not dragged in.
  assert.ok(!combined.hits.some((h) => h.turn === 3));
  store.close();
});

test('related walks the graph from a file: the error, the file fixed because of it, the turns', async () => {
  const { store } = await recallFixture();
  const r = related(store, 'src/pricing/discount.ts', { record: false });
  assert.deepEqual(r.seeds, [{ type: 'file', name: 'src/pricing/discount.ts', project: CWD }]);
  assert.ok(r.nodes.some((n) => n.type === 'error' && n.name.startsWith('TypeError')), JSON.stringify(r.nodes));
  assert.ok(r.nodes.some((n) => n.type === 'file' && n.name === 'src/cart/totals.ts'));
  assert.deepEqual(r.turns.map((t) => t.turn).sort(), [1, 2]);
  // A higher restart probability keeps the walk closer to the seed: turn 1 gains on turn 2.
  const near = related(store, 'src/pricing/discount.ts', { record: false, restart: 0.8 });
  const ratio = (x: typeof r) => x.turns.find((t) => t.turn === 1)!.score / x.turns.find((t) => t.turn === 2)!.score;
  assert.ok(ratio(near) > ratio(r));
  store.close();
});

test('a newer read of a file supersedes the older one: down-weighted, never removed', async () => {
  const { store } = await recallFixture();
  const hits = recall(store, 'tokenBucket windowMs', { graphWeight: 0, record: false }).hits.filter((h) => h.turn === 4);
  assert.equal(hits.length, 2);
  const [first, second] = hits;
  assert.equal(first!.superseded, false);
  assert.equal(second!.superseded, true);
  assert.ok(first!.score > second!.score);
  assert.ok(Number(first!.handle.slice(1)) > Number(second!.handle.slice(1)), 'the newer read ranks first');
  assert.equal(all(store.db, 'SELECT * FROM recall_superseded').length, 1);
  store.close();
});

test('a budget expands the best hits to their verbatim originals, read back through sourceRef', async () => {
  const { store } = await recallFixture();
  const r = recall(store, 'applyDiscount', { budget: 200, record: false });
  assert.ok(r.expanded.length > 0);
  assert.ok(r.tokens <= 200);
  assert.ok(r.expanded[0]!.text.includes('at checkout (src/cart/checkout.ts:10:3)'));
  const none = recall(store, 'applyDiscount', { budget: 1, record: false });
  assert.deepEqual(none.expanded, []);
  store.close();
});

test('digests (R2), the working context (R3) and the outline (R4) are searched too, archived ones included', async () => {
  const { store } = await recallFixture();
  distillSession(store, SESSION);
  const levels = new Set(recall(store, 'rounding totals grand', { limit: 50, record: false }).hits.map((h) => h.level));
  assert.ok(levels.has('R2') && levels.has('R3'), [...levels].join());
  store.db.run('UPDATE units SET archived = 1 WHERE level = 2');
  const archived = recall(store, 'rounding', { limit: 50, record: false }).hits.filter((h) => h.level === 'R2');
  assert.ok(archived.length > 0 && archived.every((h) => h.archived));
  // Units rebuilt by a later distillation replace their index entries (no stale hits).
  const before = recall(store, 'README', { limit: 50, record: false }).hits.filter((h) => h.level === 'R3').length;
  distillSession(store, SESSION);
  store.db.run("DELETE FROM units WHERE level = 3");
  assert.equal(recall(store, 'README', { limit: 50, record: false }).hits.filter((h) => h.level === 'R3').length, 0);
  assert.ok(before > 0);
  assert.deepEqual(store.db.exec("INSERT INTO recall_fts(recall_fts) VALUES('integrity-check')"), []);
  store.close();
});

test('every recall records when it touched each turn', async () => {
  const { store } = await recallFixture();
  const at = new Date('2026-04-01T12:00:00.000Z');
  const r = recall(store, 'rate limiter', { now: () => at });
  const touched = all(store.db, 'SELECT turn, level, at FROM recall_touches ORDER BY turn');
  assert.ok(touched.length > 0);
  assert.deepEqual(new Set(touched.map((t) => t.turn)), new Set(r.hits.map((h) => h.turn)));
  assert.ok(touched.every((t) => t.at === at.toISOString()));
  store.close();
});

test('appended events are indexed incrementally when recall next runs, and a re-read file is indexed again', async () => {
  const { dir, file, store } = await recallFixture();
  recall(store, 'anything', { record: false }); // catches the index up with the fixture
  const docs = Number(all(store.db, 'SELECT COUNT(*) AS n FROM recall_docs')[0]!.n);
  appendFileSync(file, jsonl([prompt({ uuid: 'late1', parent: null }, 'Rename the flaky quokkaDetector helper')]));
  await ingestPaths(store, [dir], { workerScript: null });
  assert.equal(Number(all(store.db, 'SELECT COUNT(*) AS n FROM recall_docs')[0]!.n), docs, 'ingest itself does not index');
  assert.equal(recall(store, 'quokka', { record: false }).hits[0]!.turn, 6);
  assert.equal(Number(all(store.db, 'SELECT COUNT(*) AS n FROM recall_docs')[0]!.n), docs + 1);
  // The file rewritten shorter: it is read again from byte 0, its events stored again under re-used ids, and indexed again.
  writeFileSync(file, readFileSync(file, 'utf8').replace('quokkaDetector', 'wombatHelper'));
  await ingestPaths(store, [dir], { workerScript: null });
  assert.equal(recall(store, 'wombat', { record: false }).hits[0]!.turn, 6);
  assert.equal(recall(store, 'quokka', { record: false }).hits.length, 0);
  store.close();
});

test('a path is found by its joined token first; a part of it in the middle still by the phrase of its parts', async () => {
  const { dir, file, store } = await recallFixture();
  appendFileSync(
    file,
    jsonl([
      prompt({ uuid: 'p1', parent: null }, 'Open lib/db/pool.ts and raise the pool size'),
      prompt({ uuid: 'p2', parent: 'p1' }, 'The words lib db pool ts in prose are not that path'),
    ]),
  );
  await ingestPaths(store, [dir], { workerScript: null });
  const turns = (q: string) => recall(store, q, { graphWeight: 0, record: false }).hits.map((h) => h.turn);
  assert.deepEqual(turns('lib/db/pool.ts'), [6]);
  assert.deepEqual(turns('pool.ts'), [6]);
  // Not a suffix of the path: no joined token for it, so the phrase of its parts finds both.
  assert.deepEqual(new Set(turns('lib/db')), new Set([6, 7]));
  store.close();
});

test('migration 7 adds the joined tokens to an index written without them', async () => {
  const { store } = await recallFixture();
  recall(store, 'anything', { record: false });
  const db = store.db;
  const found = () => all(db, "SELECT docid FROM recall_fts WHERE recall_fts MATCH 'parts:limitsratelimiterts'").length;
  assert.ok(found() > 0);
  // The index as version 6 wrote it: camelCase parts only.
  db.run("UPDATE recall_docs SET parts = '' WHERE docid IN (SELECT docid FROM recall_fts WHERE recall_fts MATCH 'parts:limitsratelimiterts')");
  db.run("INSERT INTO recall_fts (recall_fts) VALUES ('rebuild')");
  assert.equal(found(), 0);
  RECALL_JOINED_MIGRATION.up(db);
  assert.ok(found() > 0);
  assert.deepEqual(all(db, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
  store.close();
});

test('catching up a step at a time records what one pass records, also after a rewrite', async () => {
  const snapshot = (db: Parameters<typeof all>[0]) => ({
    docs: all(db, 'SELECT docid, parts FROM recall_docs ORDER BY docid'),
    edges: all(db, 'SELECT n1.type || n1.name AS a, n2.type || n2.name AS b, e.kind, e.weight FROM graph_edges e JOIN graph_nodes n1 ON n1.id = e.src JOIN graph_nodes n2 ON n2.id = e.dst ORDER BY a, b, e.kind'),
  });
  const stepped = await recallFixture();
  const whole = await recallFixture();
  assert.ok((await catchUp(stepped.store, { step: 3 })) > 0);
  whole.store.write((db) => recordAll(db));
  assert.deepEqual(snapshot(stepped.store.db), snapshot(whole.store.db));
  // Rewritten shorter: the session is graphed again, still a step at a time.
  for (const f of [stepped, whole]) {
    writeFileSync(f.file, readFileSync(f.file, 'utf8').split('\n').slice(0, -4).join('\n') + '\n');
    await ingestPaths(f.store, [f.dir], { workerScript: null });
  }
  await catchUp(stepped.store, { step: 2 });
  whole.store.write((db) => recordAll(db));
  assert.deepEqual(snapshot(stepped.store.db), snapshot(whole.store.db));
  stepped.store.close();
  whole.store.close();
});
