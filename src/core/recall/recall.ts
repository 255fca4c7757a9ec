// Recall (DESIGN §6): full-text search over every level of every session, archived units
// included, ranked by BM25 combined with the graph score of each hit's turn (personalized PageRank
// from the query's nodes and best hits). Superseded file reads are down-weighted, never dropped.
// Every recall records when it touched a turn (the forget rule reads it).
import type { Database } from 'sql.js';
import { verbatimText } from '../source';
import { UNIT_DOCID_BASE } from '../store/migrations/recall';
import { all, num, one, scalar, str } from '../store/rows';
import type { Store } from '../store/store';
import { countExact } from '../tokens/count';
import type { PageRankOptions } from './pagerank';
import { buildMatch, camelParts, words } from './terms';
import { turnGraphScores } from './turn-graph';
import { recordAll, recordingBehind } from './write';

export type HitLevel = 'R0' | 'R2' | 'R3' | 'R4';

export interface RecallHit {
  /** `e123` for an event, `u45` for a unit: `loupe recall --handle` prints it in full. */
  handle: string;
  sessionId: string;
  turn: number;
  level: HitLevel;
  score: number;
  bm25: number;
  graph: number;
  snippet: string;
  archived: boolean;
  superseded: boolean;
}

export interface RecallOptions extends PageRankOptions {
  /** Only this session (an id, prefix or `latest`). */
  session?: string;
  limit?: number;
  /** Expand the best hits to their verbatim originals until this many tokens are used. */
  budget?: number;
  /** How much the graph score counts beside BM25 (both normalized to 0..1); 0 = BM25 alone. */
  graphWeight?: number;
  /** Turns with no text match are shown from this graph score on (a share of the best turn's; default GRAPH_ONLY_FLOOR). */
  graphOnlyFloor?: number;
  /** Record the touch times (default true). */
  record?: boolean;
  /** Only hits in turns fromTurn..toTurn (inclusive) of the session. */
  fromTurn?: number;
  toTurn?: number;
  /**
   * Files and symbols the query names seed the graph in every project. By default only in the
   * session's project, or (no session) in the projects of the best text hits, else in the project
   * where the names occur (see graphScope).
   */
  allProjects?: boolean;
}

export interface Expanded {
  handle: string;
  tokens: number;
  text: string;
}

export interface RecallResult {
  query: string;
  hits: RecallHit[];
  expanded: Expanded[];
  tokens: number;
}

/** A superseded read keeps this share of its score. */
export const SUPERSEDED_WEIGHT = 0.35;
export const DEFAULT_GRAPH_WEIGHT = 0.5;
const CANDIDATES = 100;
/** Matches scored per query at most (see matchRows). */
const SCORED = 1000;
/**
 * A turn found only through the graph (no text match) is shown when its graph score is at least
 * this share of the best turn's. Measured on the 11-session corpus (242 queries: file and symbol
 * names, prompt words and pairs of them; 389 such turns made their top 10 without a floor): the
 * share's median was 0.015, p75 0.037, p90 0.10; the turns issue 12 reported as noise scored
 * 0.004-0.013 (a share of 0.008-0.026), while the link the graph is for (a file edited because of an
 * error thrown in the file the query names: test/unit/recall/fixture.ts) scores 0.15-0.20. A
 * twentieth keeps that link with 3x to spare and drops the noise with 2x; a fifth of the corpus'
 * graph-only turns pass, and 53 of the 111 queries that had one still have one.
 */
export const GRAPH_ONLY_FLOOR = 0.05;
/** A hit's text is read this far for its snippet. */
const SNIPPET_SOURCE_CHARS = 20_000;

/**
 * What the database looked like when it was last found fully recorded: its change count and its
 * newest event and unit. Checking what is behind costs a probe per session; this costs three.
 */
const recordedAt = new WeakMap<Database, string>();
const changeMark = (db: Database) =>
  `${scalar(db, 'SELECT total_changes()')}:${scalar(db, 'SELECT MAX(id) FROM events')}:${scalar(db, 'SELECT MAX(id) FROM units')}`;

/** Brings the index up to date when the database predates recall or missed a write. */
export function ensureRecorded(store: Store): void {
  if (recordedAt.get(store.db) === changeMark(store.db)) return;
  if (recordingBehind(store.db)) store.write((db) => recordAll(db));
  recordedAt.set(store.db, changeMark(store.db));
}

interface Candidate {
  docid: number;
  bm25: number;
  session: number;
  turn: number;
  level: HitLevel;
  archived: boolean;
  superseded: boolean;
}

export function recall(store: Store, query: string, options: RecallOptions = {}): RecallResult {
  ensureRecorded(store);
  // One read transaction for the dozens of statements below.
  const { hits, expanded, tokens } = store.read(() => rankAndExpand(store, query, options));
  if (options.record !== false && hits.length > 0) {
    const before = store.db;
    const wasRecorded = recordedAt.get(before) === changeMark(before);
    recordTouches(store, hits, options.now);
    // Touch times are not indexed: still up to date if it was (and not reloaded meanwhile).
    if (wasRecorded && store.db === before) recordedAt.set(before, changeMark(before));
  }
  return { query, hits, expanded, tokens };
}

function rankAndExpand(store: Store, query: string, options: RecallOptions): Omit<RecallResult, 'query'> {
  const db = store.db;
  const sessionKey = options.session ? store.key(store.resolveSession(options.session).id) : null;
  const limit = options.limit ?? 10;
  const inRange = (turn: number) => turn >= (options.fromTurn ?? -Infinity) && turn <= (options.toTurn ?? Infinity);
  const candidates = searchText(db, query, sessionKey, [options.fromTurn ?? null, options.toTurn ?? null]);

  const maxBm25 = Math.max(0, ...candidates.map((c) => c.bm25));
  const graphWeight = options.graphWeight ?? DEFAULT_GRAPH_WEIGHT;
  const turnScores = graphWeight > 0 ? turnGraphScores(db, query, candidates, sessionKey, options) : new Map<string, number>();
  const maxGraph = Math.max(0, ...turnScores.values());

  const scored: { c: Candidate; score: number; graph: number }[] = [];
  const seenTurns = new Set<string>();
  for (const c of candidates) {
    const turnKey = `${c.session}:${c.turn}`;
    seenTurns.add(turnKey);
    const graph = maxGraph > 0 ? (turnScores.get(turnKey) ?? 0) / maxGraph : 0;
    let score = (maxBm25 > 0 ? c.bm25 / maxBm25 : 0) + graphWeight * graph;
    if (c.superseded) score *= SUPERSEDED_WEIGHT;
    scored.push({ c, score, graph });
  }
  scored.sort((a, b) => b.score - a.score || a.c.docid - b.c.docid);
  // Turns reached only through the graph, shown by their digest, else their prompt: looked up only
  // for those that would make the list (above the limit-th text hit).
  const bar = scored.length >= limit ? scored[limit - 1]!.score : Number.NEGATIVE_INFINITY;
  const floor = (options.graphOnlyFloor ?? GRAPH_ONLY_FLOOR) * maxGraph;
  const graphOnly = [...turnScores]
    .filter(([turnKey, s]) => s > 0 && s >= floor && !seenTurns.has(turnKey) && inRange(Number(turnKey.split(':')[1])))
    .sort((a, b) => b[1] - a[1]);
  let added = 0;
  for (const [turnKey, s] of graphOnly) {
    const score = (graphWeight * s) / maxGraph;
    if (added >= limit || score <= bar) break;
    const [session, turn] = turnKey.split(':').map(Number) as [number, number];
    const c = turnRepresentative(db, session, turn);
    if (!c) continue;
    scored.push({ c, score, graph: s / maxGraph });
    added++;
  }
  scored.sort((a, b) => b.score - a.score || a.c.docid - b.c.docid);
  const sessionIds = new Map<number, string>();
  const sessionId = (key: number) => {
    let id = sessionIds.get(key);
    if (id === undefined) sessionIds.set(key, (id = str(one(db, 'SELECT id FROM sessions WHERE key = ?', [key])?.id)));
    return id;
  };
  const top = scored.slice(0, limit).map(({ c, score, graph }) => toHit(db, c, sessionId(c.session), score, graph, query));

  const expanded: Expanded[] = [];
  let tokens = 0;
  if (options.budget !== undefined) {
    for (const hit of top) {
      const text = originalText(store, hit.handle);
      if (text === null) continue;
      const cost = countExact(text);
      if (tokens + cost > options.budget) continue;
      expanded.push({ handle: hit.handle, tokens: cost, text });
      tokens += cost;
    }
  }
  return { hits: top, expanded, tokens };
}

/**
 * Text candidates, best BM25 first. BM25 is a JavaScript call per matching row and a phrase of
 * common words reads long doclists, so the cheap forms go first, each only when the one before
 * found nothing: every word (a path or name by its joined token), required; any of them; the
 * same with paths and names as phrases of their parts; then camelCase words as their parts too
 * (required, then any).
 */
/** Turns from..to of the session (inclusive); null = open. */
type TurnRange = [from: number | null, to: number | null];

function searchText(db: Database, query: string, session: number | null, turns: TurnRange): Candidate[] {
  const { terms } = buildMatch(query);
  if (terms.length === 0) return [];
  // A word with punctuation goes first as its joined token: one rare token instead of a phrase of
  // common parts; the phrase runs when the joined form finds nothing.
  const asWritten = terms.map((t) => t.alternatives[0]!);
  const joined = terms.map((t) => t.joined ?? t.alternatives[0]!);
  const stages = [joined.join(' ')];
  if (terms.length > 1) stages.push(joined.join(' OR '));
  if (terms.some((t) => t.joined)) stages.push(asWritten.join(' '), ...(terms.length > 1 ? [asWritten.join(' OR ')] : []));
  const partsStages = [terms.map((t) => t.alternatives.join(' OR ')).join(' ')];
  if (terms.length > 1) partsStages.push(terms.flatMap((t) => t.alternatives).join(' OR '));
  const rows: ReturnType<typeof matchRows> = [];
  const seen = new Set<number>();
  const run = (match: string) => {
    for (const r of matchRows(db, match, session, turns)) {
      if (seen.has(num(r.docid)) || rows.length >= CANDIDATES) continue;
      seen.add(num(r.docid));
      rows.push(r);
    }
  };
  // Any of the words only when all of them found nothing: an OR of a common word reads (and
  // scores) every row that has it.
  for (const match of stages) {
    if (rows.length > 0) break;
    run(match);
  }
  if (rows.length === 0 && terms.some((t) => t.alternatives.length > 1)) {
    for (const match of partsStages) {
      if (rows.length > 0) break;
      run(match);
    }
  }
  return rows.map((r) => {
    const isUnit = num(r.docid) >= UNIT_DOCID_BASE;
    return {
      docid: num(r.docid),
      bm25: num(r.score),
      session: num(isUnit ? r.u_session : r.e_session),
      turn: num(isUnit ? r.u_turn : r.e_turn),
      level: isUnit ? levelName(num(r.u_level)) : 'R0',
      archived: isUnit && num(r.u_archived) === 1,
      superseded: !isUnit && num(r.superseded) === 1,
    };
  });
}

function matchRows(db: Database, match: string, session: number | null, [fromTurn, toTurn]: TurnRange) {
  // BM25 is a JavaScript call per row, so at most the SCORED newest matches are scored (FTS4
  // walks its doclists newest first for ORDER BY docid DESC, and stops at the LIMIT): every match
  // when there are fewer, the best of the recent ones for a very common word. Without a session
  // filter the best rows are chosen from the index alone, then joined.
  // The events are joined through their covering index (migration 9): SQLite would pick the rowid,
  // and read a page of event texts for each candidate's session and turn.
  const scored = `SELECT docid, loupe_bm25(matchinfo(recall_fts, 'pcnalx')) AS score FROM recall_fts WHERE recall_fts MATCH ?1
                  ORDER BY docid DESC LIMIT ${SCORED}`;
  const ranked = session === null ? `SELECT docid, score FROM (${scored}) ORDER BY score DESC LIMIT ${CANDIDATES}` : scored;
  return all(
    db,
    `SELECT f.docid, f.score,
            e.session AS e_session, e.turn AS e_turn, (s.event_id IS NOT NULL) AS superseded,
            u.session AS u_session, u.level AS u_level, u.turn_from AS u_turn, u.archived AS u_archived
     FROM (${ranked}) f
     LEFT JOIN events e INDEXED BY events_turn_of ON f.docid < ${UNIT_DOCID_BASE} AND e.id = f.docid
     LEFT JOIN recall_superseded s ON s.event_id = e.id
     LEFT JOIN units u ON f.docid >= ${UNIT_DOCID_BASE} AND u.id = f.docid - ${UNIT_DOCID_BASE}
     WHERE (?2 IS NULL OR COALESCE(e.session, u.session) = ?2)
       AND (?3 IS NULL OR COALESCE(e.turn, u.turn_from) >= ?3) AND (?4 IS NULL OR COALESCE(e.turn, u.turn_to) <= ?4)
     ORDER BY f.score DESC LIMIT ${CANDIDATES}`,
    [match, session, fromTurn, toTurn],
  );
}

function levelName(level: number): HitLevel {
  return level === 3 ? 'R3' : level === 4 ? 'R4' : 'R2';
}

function turnRepresentative(db: Database, session: number, turn: number): Candidate | null {
  const unit = one(db, 'SELECT id, archived FROM units WHERE session = ? AND level = 2 AND turn_from = ?', [session, turn]);
  if (unit) {
    return { docid: num(unit.id) + UNIT_DOCID_BASE, bm25: 0, session, turn, level: 'R2', archived: num(unit.archived) === 1, superseded: false };
  }
  // A turn starts at its prompt: its first event (two primary-key lookups).
  const ev = one(db, 'SELECT first_event_id AS id FROM turns WHERE session = ? AND idx = ?', [session, turn]);
  if (!ev) return null;
  return { docid: num(ev.id), bm25: 0, session, turn, level: 'R0', archived: false, superseded: false };
}

function toHit(db: Database, c: Candidate, sessionId: string, score: number, graph: number, query: string): RecallHit {
  return {
    handle: c.docid >= UNIT_DOCID_BASE ? `u${c.docid - UNIT_DOCID_BASE}` : `e${c.docid}`,
    sessionId,
    turn: c.turn,
    level: c.level,
    score: round(score),
    bm25: round(c.bm25),
    graph: round(graph),
    snippet: snippet(snippetSource(db, c.docid), query),
    archived: c.archived,
    superseded: c.superseded,
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** A hit's text as far as its snippet looks (only the listed hits' texts are read). */
function snippetSource(db: Database, docid: number): string {
  const row =
    docid >= UNIT_DOCID_BASE
      ? one(db, `SELECT substr(text, 1, ${SNIPPET_SOURCE_CHARS}) AS text FROM units WHERE id = ?`, [docid - UNIT_DOCID_BASE])
      : one(db, `SELECT substr(text, 1, ${SNIPPET_SOURCE_CHARS}) AS text FROM events WHERE id = ?`, [docid]);
  return row ? str(row.text) : '';
}

/** One line around the first place the text mentions a query word. */
export function snippet(text: string, query: string, width = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const lower = flat.toLowerCase();
  const needles = [...new Set(query.split(/\s+/).flatMap((w) => [w.toLowerCase(), ...camelParts(w), ...words(w)]))].filter((w) => w.length >= 2);
  let at = -1;
  for (const n of needles) {
    const i = lower.indexOf(n);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const start = Math.max(0, (at < 0 ? 0 : at) - Math.floor(width / 3));
  const cut = flat.slice(start, start + width);
  return (start > 0 ? '…' : '') + cut + (start + width < flat.length ? '…' : '');
}

/** The full original behind a handle: an event read back from its transcript, or a unit's text. */
export function originalText(store: Store, handle: string): string | null {
  const m = /^([eu])(\d+)$/.exec(handle);
  if (!m) return null;
  const id = Number(m[2]);
  if (m[1] === 'e') {
    const ev = store.event(id);
    return ev ? verbatimText(ev) : null;
  }
  const row = one(store.db, 'SELECT text FROM units WHERE id = ?', [id]);
  return row ? str(row.text) : null;
}

/** Records that recall (or assembly) touched these turns now. */
export function recordTouches(store: Store, touched: { sessionId: string; turn: number; level: HitLevel }[], now?: () => Date): void {
  // A working context or outline spans the whole session: touching it says nothing about one turn.
  touched = touched.filter((t) => t.level === 'R0' || t.level === 'R2');
  if (touched.length === 0) return;
  const at = (now ?? (() => new Date()))().toISOString();
  store.write((db) => {
    for (const t of touched) {
      const key = store.key(t.sessionId);
      db.run('INSERT OR REPLACE INTO recall_touches (session, turn, level, at) VALUES (?, ?, ?, ?)', [key, t.turn, levelNumber(t.level), at]);
    }
  });
}

function levelNumber(level: HitLevel): number {
  return Number(level.slice(1));
}
