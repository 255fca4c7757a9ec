// recall, related and gc driven through the real `loupe` process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { recordingBehind } from '../../../src/core/recall/write';
import { scalar } from '../../../src/core/store/rows';
import { openStore } from '../../../src/core/store/store';
import { tempDir } from '../helpers';
import { recallFixture } from './fixture';

const CLI = join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');

function loupe(args: string[]) {
  const home = tempDir('loupe-home-');
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: home, CLAUDE_CONFIG_DIR: '', XDG_CONFIG_HOME: '', LOUPE_DB: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function ingested(): Promise<string> {
  const { db, store } = await recallFixture();
  store.close();
  return db;
}

test('recall prints ranked hits with handle, score, session, turn, level and snippet', async () => {
  const db = await ingested();
  const r = loupe(['--db', db, 'recall', 'cookieJar']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^e\d+ +\d\.\d{3} {2}5b7e2c1a turn 5 R0\n {9}.*lib\/http\/cookieJar\.ts/);
  const json = JSON.parse(loupe(['--db', db, '--json', 'recall', 'discount']).stdout) as { hits: { turn: number; bm25: number }[] };
  assert.ok(json.hits.some((h) => h.turn === 2 && h.bm25 === 0), 'the graph-only turn');
  const none = loupe(['--db', db, 'recall', 'zebra']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /nothing matches "zebra"/);
});

test('recall --budget expands the best hits to their originals; --handle prints one in full', async () => {
  const db = await ingested();
  const r = loupe(['--db', db, 'recall', 'applyDiscount', '--budget', '300', '--session', 'latest']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /--- e\d+ \(\d+ tokens\) ---\nTypeError: Cannot read properties of undefined/);
  assert.match(r.stderr, /expanded \d+ hits to their originals: \d+ of 300 tokens/);
  const handle = /^(e\d+)/.exec(r.stdout)![1]!;
  const full = loupe(['--db', db, 'recall', '--handle', handle]);
  assert.equal(full.code, 0, full.stderr);
  assert.match(full.stdout, /at checkout \(src\/cart\/checkout\.ts:10:3\)/);
  assert.equal(loupe(['--db', db, 'recall', '--handle', 'x1']).code, 2);
  assert.equal(loupe(['--db', db, 'recall', '--handle', 'e999999']).code, 1);
  assert.equal(loupe(['--db', db, 'recall']).code, 2);
});

test('related lists what the graph connects to a file and the turns about it', async () => {
  const db = await ingested();
  const r = loupe(['--db', db, 'related', 'src/pricing/discount.ts', '--budget', '2000']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^related to file src\/pricing\/discount\.ts in \/home\/ana\/shop-api:/);
  assert.match(r.stdout, /file {5}src\/cart\/totals\.ts/);
  assert.match(r.stdout, /turn 2 R0/);
  assert.equal(loupe(['--db', db, 'related', 'nothing-like-this']).code, 1);
  assert.equal(loupe(['--db', db, 'related', 'x', '--restart', '2']).code, 2);
});

test('gc --dry-run reports what it would change; gc applies it; --now sets the clock', async () => {
  const db = await ingested();
  loupe(['--db', db, 'show', 'latest', '--level', 'R2']); // distills: makes the digests
  const dry = loupe(['--db', db, 'gc', '--dry-run', '--now', '2099-01-01T00:00:00Z']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /turn 1: forget \(archive u\d+, keep "Turn 1: Run the test suite/);
  assert.match(dry.stdout, /would forget 5 digests \(unused for 30 days\) and prune 0 archived ones \(older than 120 days\)/);
  const again = loupe(['--db', db, '--json', 'gc', '--dry-run', '--now', '2099-01-01T00:00:00Z']);
  assert.equal((JSON.parse(again.stdout) as { forgotten: number }).forgotten, 5, 'the dry run changed nothing');
  const done = loupe(['--db', db, 'gc', '--now', '2099-01-01T00:00:00Z', '--retention', '400']);
  assert.match(done.stdout, /did forget 5 digests/);
  // Retention counts from the last use (here: when the digests were made, today).
  const kept = loupe(['--db', db, 'gc', '--now', '2099-01-02T00:00:00Z', '--retention', '40000']);
  assert.match(kept.stdout, /did forget 0 digests .* prune 0 archived ones \(older than 40000 days\)/);
  const prune = loupe(['--db', db, 'gc', '--now', '2099-01-02T00:00:00Z']);
  assert.match(prune.stdout, /turn 3: prune u3, last used \d{4}-\d\d-\d\d\n/);
  assert.match(prune.stdout, /did forget 0 digests .* prune 5 archived ones \(older than 120 days\)/);
  assert.equal(loupe(['--db', db, 'gc', '--now', 'yesterday']).code, 2);
});

test('ingest indexes and graphs what it stored: nothing is left for recall to catch up', async () => {
  const { dir } = await recallFixture();
  const db = join(tempDir('loupe-ingest-'), 'loupe.db');
  const r = loupe(['--db', db, 'ingest', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /indexed \d+ events and units for recall and the graph in/);
  const store = await openStore(db);
  assert.equal(recordingBehind(store.db), false);
  assert.ok(scalar(store.db, 'SELECT COUNT(*) FROM recall_docs') > 0);
  assert.ok(scalar(store.db, 'SELECT COUNT(*) FROM graph_edges') > 0);
  store.close();
  // Nothing new: nothing indexed, and no line about it.
  assert.doesNotMatch(loupe(['--db', db, 'ingest', dir]).stdout, /indexed/);
});
