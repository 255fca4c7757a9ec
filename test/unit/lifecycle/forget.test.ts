// Forget and retention on a clock the test controls: digests not recalled for forgetAfterDays are
// archived (one line kept), archived ones past retentionDays are pruned; the transcript is never
// touched; --dry-run changes nothing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { compactSession } from '../../../src/core/assemble/compact';
import { distillSession } from '../../../src/core/distill/units';
import { ingestPaths } from '../../../src/core/ingest';
import { gc, lastGcRun } from '../../../src/core/lifecycle/forget';
import { recall } from '../../../src/core/recall/recall';
import { all } from '../../../src/core/store/rows';
import { assistant, jsonl, prompt, text } from '../helpers';
import { recallFixture, SESSION } from '../recall/fixture';

const T0 = Date.parse('2026-03-10T00:00:00.000Z');
const day = (n: number) => () => new Date(T0 + n * 86_400_000);
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function digests(store: Awaited<ReturnType<typeof recallFixture>>['store']) {
  return all(store.db, 'SELECT turn_from AS turn, archived FROM units WHERE level = 2 ORDER BY turn_from').map((r) => ({
    turn: Number(r.turn),
    archived: Number(r.archived),
  }));
}

test('digests not recalled for forgetAfterDays are archived, with a one-line form kept; recalled ones stay', async () => {
  const { store, file } = await recallFixture();
  const before = hash(file);
  distillSession(store, SESSION, day(0));
  assert.equal(gc(store, { now: day(10), forgetAfterDays: 30 }).changes.length, 0);
  // Turn 4 is recalled on day 20: it stays sharp on day 40, the rest go blurrier.
  const hits = recall(store, 'rate limiter window', { now: day(20), graphWeight: 0, limit: 3, session: SESSION });
  assert.deepEqual([...new Set(hits.hits.filter((h) => h.level !== 'R3').map((h) => h.turn))], [4], JSON.stringify(hits.hits));

  const dry = gc(store, { now: day(40), forgetAfterDays: 30, dryRun: true });
  assert.deepEqual(dry.changes.map((c) => [c.action, c.turn]), [['forget', 1], ['forget', 2], ['forget', 3], ['forget', 5]]);
  assert.ok(digests(store).every((d) => d.archived === 0), 'a dry run changes nothing');

  const done = gc(store, { now: day(40), forgetAfterDays: 30 });
  assert.equal(done.forgotten, 4);
  assert.deepEqual(digests(store).map((d) => d.archived), [1, 1, 1, 0, 1]);
  const line = all(store.db, 'SELECT line FROM lifecycle_forgotten WHERE turn = 2')[0]!.line;
  assert.match(String(line), /^Turn 2: Use banker's rounding for the grand total \(edited src\/cart\/totals\.ts\)$/);

  // A later distillation keeps them archived, and assembly leaves them to the working context.
  const d = distillSession(store, SESSION, day(41));
  assert.deepEqual([...d.archived].sort(), [1, 2, 3, 5]);
  // Archived digests are still recalled.
  assert.ok(recall(store, 'rounding', { now: day(42), record: false }).hits.some((h) => h.level === 'R2' && h.archived));
  assert.equal(hash(file), before, 'the transcript is never touched');
  store.close();
});

test('archived digests older than retentionDays are pruned from the database, not from the transcript', async () => {
  const { store, file } = await recallFixture();
  const before = hash(file);
  distillSession(store, SESSION, day(0));
  gc(store, { now: day(40), forgetAfterDays: 30 });
  assert.equal(gc(store, { now: day(100), retentionDays: 120, forgetAfterDays: 30 }).pruned, 0);
  const dry = gc(store, { now: day(130), retentionDays: 120, forgetAfterDays: 30, dryRun: true });
  assert.equal(dry.pruned, 5);
  assert.equal(digests(store).length, 5);
  const r = gc(store, { now: day(130), retentionDays: 120, forgetAfterDays: 30 });
  assert.equal(r.pruned, 5);
  assert.equal(digests(store).length, 0);
  assert.equal(all(store.db, 'SELECT COUNT(*) AS n FROM lifecycle_forgotten WHERE pruned_at IS NOT NULL')[0]!.n, 5);
  assert.deepEqual(store.db.exec("INSERT INTO recall_fts(recall_fts) VALUES('integrity-check')"), []);
  // The events (and so recall of the verbatim turns) are untouched.
  assert.ok(recall(store, 'rounding', { record: false, graphWeight: 0 }).hits.some((h) => h.level === 'R0'));
  assert.equal(hash(file), before);
  store.close();
});

test('a compaction counts as recall: the turns it shows are touched', async () => {
  const { store } = await recallFixture();
  const r = await compactSession(store, SESSION, { budget: 4_000, now: day(5) });
  const shown = [...r.levels].filter(([, l]) => l !== 'none').map(([t]) => t);
  const touched = all(store.db, 'SELECT DISTINCT turn FROM recall_touches ORDER BY turn').map((t) => Number(t.turn));
  assert.deepEqual(touched, shown.sort());
  assert.ok(all(store.db, 'SELECT at FROM recall_touches').every((t) => t.at === day(5)().toISOString()));
  store.close();
});

/** The fixture's last line's uuid: new lines continue the conversation from it. */
function lastUuid(file: string): string {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  return String((JSON.parse(lines[lines.length - 1]!) as { uuid: string }).uuid);
}

function units(store: Awaited<ReturnType<typeof recallFixture>>['store']) {
  return all(store.db, 'SELECT level, turn_from AS turn, created_at FROM units ORDER BY level, turn_from').map((r) => ({
    level: Number(r.level),
    turn: Number(r.turn),
    at: String(r.created_at),
  }));
}

test('a pruned digest stays pruned: the next distillation does not make it again, and a new turn is digested', async () => {
  const { store, file, dir } = await recallFixture();
  distillSession(store, SESSION, day(0));
  gc(store, { now: day(40), forgetAfterDays: 30 });
  assert.equal(gc(store, { now: day(130), forgetAfterDays: 30, retentionDays: 120 }).pruned, 5);
  const afterPrune = units(store);
  assert.deepEqual(afterPrune.map((u) => u.level), [3, 4], 'only the working context and the outline are left');

  // Before the fix, this distillation found five digests missing and wrote them again (archived,
  // with a fresh clock), so retention had to prune them again 120 days later, forever.
  const again = distillSession(store, SESSION, day(131));
  assert.equal(again.digested, 0);
  assert.deepEqual([...again.pruned].sort(), [1, 2, 3, 4, 5]);
  assert.deepEqual(units(store), afterPrune, 'nothing is rewritten, not even the working context');
  assert.ok(again.contextMarkdown.includes("banker's rounding"), 'the working context still covers the pruned turns');
  const later = gc(store, { now: day(400), forgetAfterDays: 30, retentionDays: 120 });
  assert.deepEqual([later.forgotten, later.pruned], [0, 0]);

  // A genuinely new turn is still distilled incrementally, and only it.
  const parent = lastUuid(file);
  appendFileSync(file, jsonl([prompt({ uuid: 'n1', parent }, 'Add a coupon expiry check'), assistant({ uuid: 'n2', parent: 'n1', messageId: 'mn2' }, text('Coupons now expire at midnight UTC.'))]));
  await ingestPaths(store, [dir], { workerScript: null });
  const grown = distillSession(store, SESSION, day(132));
  assert.equal(grown.digested, 1);
  assert.deepEqual(digests(store), [{ turn: 6, archived: 0 }]);
  assert.deepEqual([...grown.pruned].sort(), [1, 2, 3, 4, 5]);
  store.close();
});

test('a pruned turn that grows holds new content: it is digested again and its tombstone goes', async () => {
  const { store, file, dir } = await recallFixture();
  distillSession(store, SESSION, day(0));
  gc(store, { now: day(40), forgetAfterDays: 30 });
  gc(store, { now: day(130), forgetAfterDays: 30, retentionDays: 120 });
  // The last turn (5) goes on: an assistant line without a new prompt.
  appendFileSync(file, jsonl([assistant({ uuid: 'g1', parent: lastUuid(file), messageId: 'mg1' }, text('Also: the cookie name is sid.'))]));
  await ingestPaths(store, [dir], { workerScript: null });
  const d = distillSession(store, SESSION, day(131));
  assert.equal(d.digested, 1);
  assert.deepEqual(digests(store), [{ turn: 5, archived: 0 }]);
  assert.deepEqual([...d.pruned].sort(), [1, 2, 3, 4]);
  assert.deepEqual(all(store.db, 'SELECT turn FROM lifecycle_forgotten ORDER BY turn').map((r) => Number(r.turn)), [1, 2, 3, 4]);
  store.close();
});

test('a digest archived into the working context (never forgotten) also leaves a tombstone when pruned', async () => {
  const { store } = await recallFixture();
  distillSession(store, SESSION, day(0));
  // Archive turn 1 as the working context does with old turns, without the forget rule.
  store.write((db) => db.run('UPDATE units SET archived = 1 WHERE level = 2 AND turn_from = 1'));
  const r = gc(store, { now: day(130), forgetAfterDays: Infinity, retentionDays: 120 });
  assert.deepEqual(r.changes.map((c) => [c.action, c.turn]), [['prune', 1]], 'Infinity turns forgetting off');
  assert.equal(distillSession(store, SESSION, day(131)).digested, 0);
  assert.deepEqual(digests(store).map((d) => d.turn), [2, 3, 4, 5]);
  store.close();
});

test('gc records when it ran (a dry run does not count): the extension runs it at most once a day from this', async () => {
  const { store } = await recallFixture();
  assert.equal(lastGcRun(store), null);
  gc(store, { now: day(3), dryRun: true });
  assert.equal(lastGcRun(store), null);
  gc(store, { now: day(3) });
  gc(store, { now: day(5) });
  assert.equal(lastGcRun(store)?.toISOString(), day(5)().toISOString());
  store.close();
});
