// Recall's part of a write: events not indexed yet go into the full-text index and the semantic
// graph, incrementally (a progress mark per session). Every ingest (the CLI's and the extension's)
// ends with catchUp, in its own transaction after the events are stored: inside each ingest batch
// it made ingest three times slower, and a step at a time it keeps a host responsive. Recall,
// related and gc still catch up first (recordAll) for whatever another writer left behind.
// Units are indexed after each distillation. Both are idempotent: a row already indexed is skipped.
// Sessions queued in graph_rebuild (by migration 10) are graphed again first, from their stored events.
import type { Database } from 'sql.js';
import { all, num, one, scalar, str } from '../store/rows';
import { INDEXED_KINDS, UNIT_DOCID_BASE } from '../store/migrations/recall';
import type { Store } from '../store/store';
import { forgetSessionGraph, GRAPH_EVENT_COLUMNS, graphEventOf, graphEvents, type GraphEvent } from './graph-build';
import { projectOf } from './project';
import { loadSymbolParsers } from './symbols';
import { identifierParts } from './terms';

/** A session's events not indexed yet (the session bound first), with what the index and the graph read. */
const EVENT_ROWS = `SELECT ${GRAPH_EVENT_COLUMNS} FROM events e WHERE session = ? AND NOT EXISTS (SELECT 1 FROM recall_docs d WHERE d.docid = e.id)`;

/**
 * Indexes and graphs the session's events not recorded yet: those after its progress mark, and
 * those from `fromSeq` on (a restarted file re-uses ids below the mark). Returns how many events.
 */
export function recordEvents(db: Database, session: number, fromSeq?: number, limit = -1): number {
  const mark = scalar(db, 'SELECT last_event FROM recall_progress WHERE session = ?', [session]);
  const firstNew = fromSeq === undefined ? 0 : scalar(db, 'SELECT MIN(id) FROM events WHERE session = ? AND seq >= ?', [session, fromSeq]);
  const from = firstNew > 0 ? Math.min(mark + 1, firstNew) : mark + 1;
  const rows = all(
    db,
    `${EVENT_ROWS} AND id >= ? ORDER BY id LIMIT ?`,
    [session, from, limit],
  );
  if (rows.length === 0) return 0;
  // A step ends with a whole turn: co-changed and fixed-by edges are made within one batch.
  if (limit > 0 && rows.length === limit) {
    rows.push(
      ...all(
        db,
        `${EVENT_ROWS} AND id > ? AND turn = ? ORDER BY id`,
        [session, num(rows.at(-1)!.id), num(rows.at(-1)!.turn)],
      ),
    );
  }
  // Text is bound as UTF-8 bytes and cast in SQL: sql.js encodes a bound string in a JavaScript loop.
  const doc = db.prepare('INSERT INTO recall_docs (docid, parts) VALUES (?, CAST(? AS TEXT))');
  const fts = db.prepare('INSERT INTO recall_fts (docid, body, parts) VALUES (?, CAST(? AS TEXT), CAST(? AS TEXT))');
  const events: GraphEvent[] = [];
  try {
    for (const row of rows) {
      const ev = graphEventOf(row);
      events.push(ev);
      if (!(INDEXED_KINDS as readonly string[]).includes(ev.kind) || ev.text === '') continue;
      const parts = Buffer.from(identifierParts(ev.text), 'utf8');
      doc.run([ev.id, parts]);
      fts.run([ev.id, Buffer.from(ev.text, 'utf8'), parts]);
    }
  } finally {
    doc.free();
    fts.free();
  }
  graphEvents(db, session, events, sessionProject(db, session));
  const last = events[events.length - 1]!.id;
  db.run(
    'INSERT INTO recall_progress (session, last_event) VALUES (?, ?) ON CONFLICT (session) DO UPDATE SET last_event = max(last_event, excluded.last_event)',
    [session, last],
  );
  return events.length;
}

/** The project a session's files and symbols are graphed in: its working folder. */
function sessionProject(db: Database, session: number): string {
  return projectOf(str(one(db, 'SELECT cwd FROM sessions WHERE key = ?', [session])?.cwd));
}

/**
 * Graphs again, from their stored events, the sessions queued in graph_rebuild (migration 10
 * dropped graphs made before files were named within their project), up to about `max` events,
 * a whole turn last. Only the events recorded before (up to the session's progress mark) are
 * graphed here: later ones are new, and recordEvents graphs them once the queue is empty (recordSome
 * works through the queue first), so no event is graphed twice. Returns how many events.
 */
function regraphSome(db: Database, max: number): number {
  let n = 0;
  for (const queued of all(db, 'SELECT session, next_event FROM graph_rebuild ORDER BY session')) {
    if (n >= max) break;
    const session = num(queued.session);
    let from = num(queued.next_event);
    // Rewritten meanwhile: what was graphed again goes, and the session starts over.
    if (one(db, 'SELECT 1 FROM graph_stale WHERE session = ?', [session])) {
      forgetSessionGraph(db, session);
      db.run('DELETE FROM graph_stale WHERE session = ?', [session]);
      from = 0;
    }
    const mark = scalar(db, 'SELECT last_event FROM recall_progress WHERE session = ?', [session]);
    const limit = Number.isFinite(max) ? max - n : -1;
    const rows = all(db, `SELECT ${GRAPH_EVENT_COLUMNS} FROM events WHERE session = ? AND id >= ? AND id <= ? ORDER BY id LIMIT ?`, [session, from, mark, limit]);
    if (limit > 0 && rows.length === limit) {
      const last = rows.at(-1)!;
      rows.push(...all(db, `SELECT ${GRAPH_EVENT_COLUMNS} FROM events WHERE session = ? AND id > ? AND id <= ? AND turn = ? ORDER BY id`, [session, num(last.id), mark, num(last.turn)]));
    }
    if (rows.length > 0) graphEvents(db, session, rows.map(graphEventOf), sessionProject(db, session));
    n += rows.length;
    const next = rows.length > 0 ? num(rows.at(-1)!.id) + 1 : mark + 1;
    if (next > mark) db.run('DELETE FROM graph_rebuild WHERE session = ?', [session]);
    else db.run('UPDATE graph_rebuild SET next_event = ? WHERE session = ?', [next, session]);
  }
  return n;
}

/** Indexes the session's units that are not in the index yet (after a distillation wrote them). */
export function recordUnits(db: Database, session: number): number {
  const rows = all(
    db,
    `SELECT id, text FROM units u WHERE session = ? AND NOT EXISTS (SELECT 1 FROM recall_docs d WHERE d.docid = u.id + ${UNIT_DOCID_BASE})`,
    [session],
  );
  for (const row of rows) {
    const docid = num(row.id) + UNIT_DOCID_BASE;
    const body = str(row.text);
    const parts = identifierParts(body);
    // sql.js binds a number beyond 32 bits as a double, and FTS4 refuses a docid that is not an integer.
    db.run('INSERT INTO recall_docs (docid, parts) VALUES (CAST(? AS INTEGER), ?)', [docid, parts]);
    db.run('INSERT INTO recall_fts (docid, body, parts) VALUES (CAST(? AS INTEGER), ?, ?)', [docid, body, parts]);
  }
  return rows.length;
}

/** Records whatever is missing for every session (a database made before recall existed). */
export function recordAll(db: Database): number {
  return recordSome(db, Number.POSITIVE_INFINITY);
}

/** Records up to about `max` events (whole sessions' units after them). Returns how many rows. */
function recordSome(db: Database, max: number): number {
  let n = regraphSome(db, max);
  if (n >= max) return n;
  const sessions = all(
    db,
    `SELECT s.key FROM sessions s LEFT JOIN recall_progress p ON p.session = s.key
     WHERE COALESCE(p.last_event, 0) < COALESCE((SELECT id FROM events e WHERE e.session = s.key ORDER BY seq DESC LIMIT 1), 0)`,
  );
  for (const s of sessions) {
    if (n >= max) return n;
    n += recordEvents(db, num(s.key), undefined, Number.isFinite(max) ? max - n : -1);
  }
  const unitSessions = all(
    db,
    `SELECT DISTINCT session FROM units u WHERE NOT EXISTS (SELECT 1 FROM recall_docs d WHERE d.docid = u.id + ${UNIT_DOCID_BASE})`,
  );
  for (const s of unitSessions) n += recordUnits(db, num(s.session));
  return n;
}

/**
 * Whether anything is waiting to be recorded. Cheap: one index probe per session (the newest
 * event by seq is the newest by id: both grow as events are appended).
 */
export function recordingBehind(db: Database): boolean {
  return (
    one(db, 'SELECT 1 FROM graph_rebuild LIMIT 1') !== undefined ||
    one(
      db,
      `SELECT 1 FROM sessions s LEFT JOIN recall_progress p ON p.session = s.key
       WHERE COALESCE(p.last_event, 0) < COALESCE((SELECT id FROM events e WHERE e.session = s.key ORDER BY seq DESC LIMIT 1), 0) LIMIT 1`,
    ) !== undefined ||
    one(db, `SELECT 1 FROM units u WHERE NOT EXISTS (SELECT 1 FROM recall_docs d WHERE d.docid = u.id + ${UNIT_DOCID_BASE}) LIMIT 1`) !==
      undefined
  );
}

/** Events recorded per step of catchUp: a step is synchronous, so this bounds how long it blocks. */
const CATCH_UP_STEP = 2_000;

export interface CatchUpOptions {
  /** Events per step (default 2,000). */
  step?: number;
  /** Stops after the current step; what was recorded stays (the progress marks say where). */
  signal?: AbortSignal;
  onProgress?: (recorded: number) => void;
}

/**
 * Records everything behind, a step at a time, in one transaction (one save), yielding to the event
 * loop between steps. Loads the tree-sitter grammars first, so code reads' symbols come from them.
 * Returns how many events and units it recorded.
 */
export async function catchUp(store: Store, options: CatchUpOptions = {}): Promise<number> {
  if (!recordingBehind(store.db)) return 0;
  await loadSymbolParsers();
  return store.writeAsync(async (db) => {
    let total = 0;
    for (;;) {
      const n = recordSome(db, options.step ?? CATCH_UP_STEP);
      total += n;
      if (n === 0 || options.signal?.aborted) return total;
      options.onProgress?.(total);
      await new Promise((resolve) => setImmediate(resolve));
    }
  });
}
