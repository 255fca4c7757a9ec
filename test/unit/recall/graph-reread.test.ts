// A transcript read again from byte 0 (rewritten, or shrunk) must leave the graph a first read of
// it makes: its session's old edges out, shared edges back to the other sessions' shares, no node
// left hanging, supersession from the new events only. Before the fix the old events' edges stayed
// and the new ones were added on top (weights counted twice).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths } from '../../../src/core/ingest';
import { ensureRecorded } from '../../../src/core/recall/recall';
import { all } from '../../../src/core/store/rows';
import { openStore, type Store } from '../../../src/core/store/store';
import { assistant, CWD, jsonl, PROJECT, prompt, tempDir, text, toolResult, toolUse, writeFile } from '../helpers';
import { DISCOUNT_ERROR, sessionLines } from './fixture';

const OTHER = '9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f';

/** A second session sharing files, an error and a co-change with the fixture's, `turns` turns long. */
function otherLines(turns: number, firstPrompt = 'Run the tests again'): string[] {
  const lines: string[] = [];
  let parent: string | null = null;
  let n = 0;
  const add = (make: (c: { uuid: string; parent: string | null; sessionId: string }) => string) => {
    const uuid = `o${++n}`;
    lines.push(make({ uuid, parent, sessionId: OTHER }));
    parent = uuid;
  };
  const call = (id: string, name: string, input: Record<string, unknown>) => add((c) => assistant({ ...c, messageId: `om${n}` }, toolUse(id, name, input)));
  const result = (id: string, content: string, extra: Record<string, unknown> = {}, isError = false) => add((c) => toolResult(c, id, content, extra, isError));
  const edit = (id: string, file: string) => {
    call(id, 'Edit', { file_path: `${CWD}/${file}`, old_string: 'a', new_string: 'b' });
    result(id, `The file ${CWD}/${file} has been updated.`, { toolUseResult: { filePath: `${CWD}/${file}`, oldString: 'a', newString: 'b', structuredPatch: [] } });
  };
  const read = (id: string, file: string, content: string) => {
    call(id, 'Read', { file_path: `${CWD}/${file}` });
    result(id, content, { toolUseResult: { type: 'text', file: { filePath: `${CWD}/${file}`, content, numLines: 2, startLine: 1, totalLines: 2 } } });
  };
  const turnsMade = [
    () => {
      add((c) => prompt(c, firstPrompt));
      call('p1', 'Bash', { command: 'npm test' });
      result('p1', DISCOUNT_ERROR, {}, true);
      edit('p2', 'src/cart/totals.ts');
      edit('p3', 'README.md');
    },
    () => {
      add((c) => prompt(c, 'Look at the rate limiter'));
      read('p4', 'src/limits/rateLimiter.ts', 'export const windowMs = 3000;\nexport function tokenBucket() {}\n');
      read('p5', 'src/limits/rateLimiter.ts', 'export const windowMs = 4000;\nexport function tokenBucket() {}\n');
      add((c) => assistant({ ...c, messageId: `om${n}` }, text('Decision: keep `tokenBucket` as is.')));
    },
    () => {
      add((c) => prompt(c, 'And the checkout'));
      edit('p6', 'src/cart/totals.ts');
      edit('p7', 'src/cart/checkout.ts');
    },
  ];
  for (const make of turnsMade.slice(0, turns)) make();
  return lines;
}

interface Snapshot {
  nodes: string[];
  edges: string[];
  superseded: string[];
}

/** The graph by names (node ids and session keys differ between databases; turn names say the session id). */
function snapshot(store: Store): Snapshot {
  const ids = new Map(all(store.db, 'SELECT key, id FROM sessions').map((r) => [String(r.key), String(r.id)]));
  const name = (type: unknown, n: unknown) => {
    const s = String(n);
    return `${String(type)}:${type === 'turn' ? `${ids.get(s.split(':')[0]!)}:${s.split(':')[1]}` : s}`;
  };
  return {
    nodes: all(store.db, 'SELECT type, name FROM graph_nodes').map((r) => name(r.type, r.name)).sort(),
    edges: all(
      store.db,
      `SELECT a.type AS at_, a.name AS an, b.type AS bt, b.name AS bn, e.kind, e.weight, e.at
       FROM graph_edges e JOIN graph_nodes a ON a.id = e.src JOIN graph_nodes b ON b.id = e.dst`,
    )
      .map((r) => `${name(r.at_, r.an)} -${String(r.kind)}:${Number(r.weight)}@${Number(r.at)}-> ${name(r.bt, r.bn)}`)
      .sort(),
    superseded: all(
      store.db,
      `SELECT s.id AS session, e.seq AS seq, b.seq AS by_seq FROM recall_superseded r
       JOIN events e ON e.id = r.event_id JOIN events b ON b.id = r.by_event JOIN sessions s ON s.key = e.session`,
    )
      .map((r) => `${String(r.session)}:${Number(r.seq)}<${Number(r.by_seq)}`)
      .sort(),
  };
}

async function ingestAndGraph(store: Store, dir: string): Promise<void> {
  await ingestPaths(store, [dir], { workerScript: null });
  ensureRecorded(store);
}

test('a transcript rewritten shorter from byte 0 leaves the graph a fresh ingest of it makes', async () => {
  const fixture = jsonl(sessionLines());
  const rewritten = jsonl(otherLines(2, 'Run the whole test suite')); // shrunk: turn 3 gone; its head changed

  const dir = tempDir('loupe-reread-');
  const other = join(dir, 'projects', PROJECT, `${OTHER}.jsonl`);
  writeFile(join(dir, 'projects', PROJECT, 'a.jsonl'), fixture);
  writeFile(other, jsonl(otherLines(3)));
  const store = await openStore(join(dir, 'db', 'loupe.db'));
  await ingestAndGraph(store, dir);
  const first = snapshot(store);
  const shared = /-mentions:2@\d+-> file:src\/pricing\/discount\.ts$/;
  assert.ok(first.edges.some((e) => shared.test(e)), 'both sessions saw the error naming discount.ts');
  const lastTurnOnly = (edges: string[]) => edges.some((e) => e.includes('-co-changed:') && e.includes('checkout.ts'));
  assert.ok(lastTurnOnly(first.edges));

  writeFile(other, rewritten);
  const report = await ingestPaths(store, [dir], { workerScript: null });
  assert.equal(report.filesRestarted, 1, 'the shrunk file is read again from byte 0');
  ensureRecorded(store);
  const reread = snapshot(store);

  const freshDir = tempDir('loupe-fresh-');
  writeFile(join(freshDir, 'projects', PROJECT, 'a.jsonl'), fixture);
  writeFile(join(freshDir, 'projects', PROJECT, `${OTHER}.jsonl`), rewritten);
  const fresh = await openStore(join(freshDir, 'db', 'loupe.db'));
  await ingestAndGraph(fresh, freshDir);

  assert.deepEqual(reread, snapshot(fresh));
  assert.ok(reread.edges.some((e) => shared.test(e)), 'the shared edge is back to two shares, not three');
  assert.ok(!lastTurnOnly(reread.edges), 'the dropped turn took its co-change with it');
  assert.deepEqual(all(store.db, 'SELECT session FROM graph_stale'), [], 'the rebuild cleared the stale mark');
  store.close();
  fresh.close();
});

test('reading the same transcript again from byte 0 changes nothing in the graph (weights are not doubled)', async () => {
  const dir = tempDir('loupe-reread-same-');
  const file = writeFile(join(dir, 'projects', PROJECT, `${OTHER}.jsonl`), jsonl(otherLines(3)));
  writeFile(join(dir, 'projects', PROJECT, 'a.jsonl'), jsonl(sessionLines()));
  const store = await openStore(join(dir, 'db', 'loupe.db'));
  await ingestAndGraph(store, dir);
  const before = snapshot(store);
  // Same bytes, but the stored state says the file was longer: the next ingest restarts it.
  store.write((db) => db.run('UPDATE files SET bytes_ingested = bytes_ingested + 1000 WHERE path = ?', [file]));
  const report = await ingestPaths(store, [dir], { workerScript: null });
  assert.equal(report.filesRestarted, 1);
  ensureRecorded(store);
  assert.deepEqual(snapshot(store), before);
  store.close();
});
