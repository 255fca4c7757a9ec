// Recall benchmarks (issue 4): recall latency on a database of 1 million generated events beside a
// linear String.includes scan of the same texts, graph build time per 1,000 events, and the
// PageRank time of a query. Rows are generated straight into an in-memory database (no JSONL):
// what is measured is recall, not ingest.
//
//   LOUPE_BENCH_RECALL_EVENTS=1000000   events in the database
import type { Database } from 'sql.js';
import { graphEvents, type GraphEvent } from '../../src/core/recall/graph-build';
import { personalizedPageRank } from '../../src/core/recall/pagerank';
import { recall } from '../../src/core/recall/recall';
import { namedNodes, seedWeights } from '../../src/core/recall/seeds';
import { loadSymbolParsers } from '../../src/core/recall/symbols';
import { recordEvents } from '../../src/core/recall/write';
import { openStore, type Store } from '../../src/core/store/store';
import { Rng } from '../fixtures/generate/prng';

import type { BenchRow } from './row';

const EVENTS_PER_SESSION = 2000;
/** Every generated session's working folder. */
const PROJECT = '/home/dev/project';
const EVENTS_PER_TURN = 20;

const WORDS = (
  'the a to of and in is it for that this with on as be we by not are at or from but have an was will can if ' +
  'so then now need should would use used using check fix fixed update change add remove run test tests build ' +
  'file files function value values error errors type types return returns call calls read write line lines ' +
  'config option options default server client request response cache query index table row column field ' +
  'user session token timeout retry limit handler module import export class method param result output input'
).split(' ');
const PARTS = (
  'get set load save parse render build create update delete find fetch send handle compute resolve apply validate ' +
  'user session token cart price discount order invoice payment account profile cache pool queue worker job batch ' +
  'config route query index schema record event stream buffer socket client server timer retry limit window bucket'
).split(' ');
const DIRS = 'src lib app core api db utils services models handlers jobs cli web test'.split(' ');
const EXTS = ['ts', 'tsx', 'py', 'go', 'rs', 'js'];
const ERRORS = ['TypeError', 'ReferenceError', 'RangeError', 'SyntaxError', 'AssertionError', 'ECONNREFUSED', 'ENOENT', 'TimeoutError'];

/** Zipf-like pick: index i has weight 1/(i+1). */
function zipf(rng: Rng, n: number): number {
  return Math.min(n - 1, Math.floor(Math.exp(rng.next() * Math.log(n + 1)) - 1));
}

class Vocabulary {
  readonly identifiers: string[] = [];
  readonly paths: string[] = [];
  constructor(rng: Rng) {
    const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);
    for (let i = 0; i < 20_000; i++) {
      const n = rng.int(2, 3);
      const parts = Array.from({ length: n }, () => PARTS[rng.int(0, PARTS.length - 1)]!);
      const style = rng.int(0, 3);
      this.identifiers.push(
        style === 0 ? parts.map((p, j) => (j === 0 ? p : cap(p))).join('') + i.toString(36)
        : style === 1 ? parts.join('_') + '_' + i.toString(36)
        : style === 2 ? parts.map(cap).join('') + i.toString(36)
        : parts[0]! + '.' + parts.slice(1).map((p, j) => (j === 0 ? p : cap(p))).join('') + i.toString(36),
      );
    }
    for (let i = 0; i < 5_000; i++) {
      const depth = rng.int(1, 3);
      const dirs = Array.from({ length: depth }, () => DIRS[rng.int(0, DIRS.length - 1)]!);
      this.paths.push(`${dirs.join('/')}/${PARTS[rng.int(0, PARTS.length - 1)]}${cap(PARTS[rng.int(0, PARTS.length - 1)]!)}${i}.${EXTS[rng.int(0, EXTS.length - 1)]}`);
    }
  }
  identifier(rng: Rng): string {
    return this.identifiers[zipf(rng, this.identifiers.length)]!;
  }
  path(rng: Rng): string {
    return this.paths[zipf(rng, this.paths.length)]!;
  }
  prose(rng: Rng, words: number): string {
    const out: string[] = [];
    for (let i = 0; i < words; i++) {
      const r = rng.next();
      out.push(r < 0.08 ? `\`${this.identifier(rng)}\`` : r < 0.11 ? this.path(rng) : WORDS[zipf(rng, WORDS.length)]!);
    }
    return out.join(' ');
  }
}

interface Generated {
  db: Database;
  texts: string[];
  sample: GraphEvent[][];
  vocab: Vocabulary;
  indexSeconds: number;
}

/** Sessions, turns and events written straight into the tables, then indexed and graphed session by session. */
async function generate(totalEvents: number): Promise<Generated & { store: Store; close: () => void }> {
  const store = await openStore(':memory:');
  const db = store.db;
  const rng = new Rng(4242);
  const vocab = new Vocabulary(rng);
  const texts: string[] = [];
  const sample: GraphEvent[][] = [];
  const sessions = Math.ceil(totalEvents / EVENTS_PER_SESSION);
  let id = 0;
  let indexSeconds = 0;
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let s = 1; s <= sessions; s++) {
    const graphed: GraphEvent[] = [];
    store.write(() => {
      db.run("INSERT INTO sessions (key, id, source, cwd) VALUES (?, ?, 'bench', ?)", [s, `bench-${s}`, PROJECT]);
      db.run('INSERT INTO files (id, path, session) VALUES (?, ?, ?)', [s, `/bench/${s}.jsonl`, s]);
      const insert = db.prepare(
        `INSERT INTO events (id, session, seq, turn, ts, kind, role, text, text_length, tool_name, is_error, paths, meta, parent_id, file_id, src_offset, src_length, src_line)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,0,0)`,
      );
      const turns = db.prepare('INSERT INTO turns (session, idx, first_event_id, last_event_id, started_at, prompt) VALUES (?,?,?,?,?,?)');
      let callId = 0;
      let callTool = '';
      let callPath = '';
      for (let seq = 1; seq <= EVENTS_PER_SESSION && id < totalEvents; seq++) {
        id++;
        const turn = Math.floor((seq - 1) / EVENTS_PER_TURN) + 1;
        const ts = new Date(start + id * 1000).toISOString();
        const pos = (seq - 1) % EVENTS_PER_TURN;
        let kind: string;
        let text: string;
        let tool: string | null = null;
        let paths: string[] = [];
        let meta: Record<string, unknown> = {};
        let isError = false;
        let parent: number | null = null;
        if (pos === 0) {
          kind = 'user_prompt';
          text = vocab.prose(rng, rng.int(8, 30));
        } else if (pos % 3 === 1) {
          kind = 'tool_call';
          const r = rng.next();
          tool = r < 0.45 ? 'Read' : r < 0.7 ? 'Edit' : 'Bash';
          callPath = vocab.path(rng);
          paths = tool === 'Bash' ? [] : [`${PROJECT}/${callPath}`];
          if (tool === 'Bash') meta = { input: { command: rng.next() < 0.5 ? 'npm test' : `node scripts/${PARTS[rng.int(0, PARTS.length - 1)]}.js` } };
          text = tool === 'Bash' ? `Bash: ${(meta.input as { command: string }).command}` : `${tool}: ${callPath}`;
          callId = id;
          callTool = tool;
        } else if (pos % 3 === 2) {
          kind = 'tool_result';
          tool = callTool;
          parent = callId;
          paths = callTool === 'Bash' ? [] : [`${PROJECT}/${callPath}`];
          isError = callTool === 'Bash' && rng.next() < 0.2;
          text = isError
            ? `${ERRORS[rng.int(0, ERRORS.length - 1)]}: cannot ${PARTS[rng.int(0, PARTS.length - 1)]} ${vocab.identifier(rng)}\n    at ${vocab.identifier(rng)} (${vocab.path(rng)}:${rng.int(1, 400)}:${rng.int(1, 80)})`
            : vocab.prose(rng, rng.int(20, 60));
        } else {
          kind = 'assistant_text';
          text = vocab.prose(rng, rng.int(10, 40));
        }
        insert.run([id, s, seq, turn, ts, kind, kind === 'user_prompt' ? 'user' : 'assistant', text, text.length, tool, isError ? 1 : 0,
          paths.length ? JSON.stringify(paths) : null, Object.keys(meta).length ? JSON.stringify(meta) : null, parent, s]);
        texts.push(text.toLowerCase());
        if (sample.length < 10) graphed.push({ id, turn, ts, kind, toolName: tool, isError, paths, meta, parentId: parent, text });
        if (pos === 0) turns.run([s, turn, id, id + EVENTS_PER_TURN - 1, ts, text.slice(0, 500)]);
      }
      insert.free();
      turns.free();
      const t = performance.now();
      recordEvents(db, s);
      indexSeconds += (performance.now() - t) / 1000;
    });
    if (graphed.length > 0) sample.push(graphed);
    if (s % 50 === 0) process.stderr.write(`recall bench: ${id.toLocaleString('en-US')} events…\n`);
  }
  return { db, store, texts, sample, vocab, indexSeconds, close: () => store.close() };
}

const WARM_UP_QUERIES = 20;
const MEASURED_QUERIES = 200;
const SCANNED_QUERIES = 40;

/** Identifiers and paths of every frequency, an error name with an identifier, and a camelCase part (found through the parts column). */
function queries(vocab: Vocabulary, seed: number, count: number): string[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const r = i % 4;
    return r === 0 ? vocab.identifier(rng)
      : r === 1 ? vocab.path(rng)
      : r === 2 ? `${ERRORS[rng.int(0, ERRORS.length - 1)]} ${vocab.identifier(rng)}`
      : vocab.identifiers[rng.int(0, vocab.identifiers.length - 1)]!.replace(/^[a-z]+[._]?/, '');
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export async function benchRecall(rows: BenchRow[]): Promise<void> {
  const total = Number(process.env.LOUPE_BENCH_RECALL_EVENTS ?? 1_000_000);
  await loadSymbolParsers(); // as ingest and recall do: code reads' symbols from tree-sitter
  const started = performance.now();
  const g = await generate(total);
  const generateSeconds = (performance.now() - started) / 1000;
  const store = g.store;
  // Every query is new to the database's page cache (as a user's next query mostly is), but not
  // to the JIT: a long-lived host has run recall before, so a few warm-up queries come first.
  for (const q of queries(g.vocab, 7, WARM_UP_QUERIES)) recall(store, q, { record: false });
  // BM25 alone on queries of its own (the same mix), taken in turn with the measured ones: on the
  // same queries, or after them, it would find their pages already cached.
  const measured = queries(g.vocab, 99, MEASURED_QUERIES);
  const textQueries = queries(g.vocab, 199, MEASURED_QUERIES);
  const ours: number[] = [];
  const textOnly: number[] = [];
  for (const [i, q] of measured.entries()) {
    let t = performance.now();
    recall(store, q, { record: false });
    ours.push(performance.now() - t);
    t = performance.now();
    recall(store, textQueries[i]!, { record: false, graphWeight: 0 });
    textOnly.push(performance.now() - t);
  }
  const pagerank: number[] = [];
  for (const q of measured) {
    const seeds = seedWeights(namedNodes(g.db, q, [PROJECT]));
    const t = performance.now();
    personalizedPageRank(g.db, seeds);
    pagerank.push(performance.now() - t);
  }
  const slowest = measured.map((q, i) => ({ q, ms: ours[i]! })).sort((a, b) => b.ms - a.ms).slice(0, 3);
  process.stderr.write(`recall bench: slowest queries: ${slowest.map((s) => `"${s.q}" ${s.ms.toFixed(0)} ms`).join('; ')}\n`);
  const scan: number[] = [];
  for (const q of measured.slice(0, SCANNED_QUERIES)) {
    const needles = q.toLowerCase().split(/\s+/);
    const t = performance.now();
    let found = 0;
    for (const text of g.texts) if (needles.some((n) => text.includes(n))) found++;
    scan.push(performance.now() - t);
    if (found < 0) throw new Error('unreachable');
  }
  // Graph build alone, on sample sessions, in a transaction rolled back afterwards.
  g.db.run('BEGIN');
  let graphed = 0;
  const t = performance.now();
  for (const [i, events] of g.sample.entries()) {
    graphEvents(g.db, 100_000 + i, events, PROJECT);
    graphed += events.length;
  }
  const graphMs = performance.now() - t;
  g.db.run('ROLLBACK');
  const p50 = percentile(ours, 0.5);
  const p95 = percentile(ours, 0.95);
  const scanP50 = percentile(scan, 0.5);
  const n = g.texts.length.toLocaleString('en-US');
  process.stderr.write(`recall bench: generated and indexed ${n} events in ${generateSeconds.toFixed(1)} s (index + graph ${g.indexSeconds.toFixed(1)} s)\n`);
  rows.push(
    {
      measure: `recall p50 at ${n} events (ms)`,
      baseline: `${scanP50.toFixed(1)} (String.includes scan)`,
      loupe: p50.toFixed(1),
      ratio: `${(scanP50 / p50).toFixed(0)}× faster`,
      target: '≥ 20× faster',
      ok: scanP50 / p50 >= 20,
    },
    {
      measure: `recall p95 at ${n} events (ms)`,
      baseline: `${percentile(scan, 0.95).toFixed(1)} (scan p95)`,
      loupe: p95.toFixed(1),
      ratio: `${(percentile(scan, 0.95) / p95).toFixed(0)}× faster`,
      target: '≤ 50 ms',
      ok: p95 <= 50,
    },
    {
      measure: 'recall p50 / p95, BM25 only (ms)',
      baseline: '',
      loupe: `${percentile(textOnly, 0.5).toFixed(1)} / ${percentile(textOnly, 0.95).toFixed(1)}`,
      ratio: `${(scanP50 / percentile(textOnly, 0.5)).toFixed(0)}× faster`,
      target: '',
      ok: null,
    },
    {
      measure: 'graph build per 1,000 events (ms)',
      baseline: '',
      loupe: ((graphMs / graphed) * 1000).toFixed(1),
      ratio: '',
      target: '',
      ok: null,
    },
    {
      measure: 'index + graph per 1,000 events (ms)',
      baseline: '',
      loupe: ((g.indexSeconds * 1000 * 1000) / g.texts.length).toFixed(1),
      ratio: '',
      target: '',
      ok: null,
    },
    {
      measure: 'PageRank for a query, p50 / p95 (ms)',
      baseline: '',
      loupe: `${percentile(pagerank, 0.5).toFixed(1)} / ${percentile(pagerank, 0.95).toFixed(1)}`,
      ratio: '',
      target: '',
      ok: null,
    },
  );
  g.close();
}
