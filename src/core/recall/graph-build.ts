// Building the semantic graph from events, incrementally (DESIGN §6). Nodes: files, symbols,
// tools, commands, error signatures, decisions and turns; edges: read, edited, error, mentions,
// co-changed (edited in the same turn), fixed-by (an error, then an edit in the same turn: the
// file was edited because of it), uses, ran, decided, defines. Each edge has a weight (summed
// over occurrences) and the time it was last seen. Also the update rule: a newer read or edit
// of a file supersedes the older reads of it.
//
// Edges are attributable: an edge from a turn node belongs to that turn's session by its name;
// every other edge (file to file, error to file, file to symbol…) keeps each session's share in
// graph_contrib. A session whose events were deleted or renumbered (a transcript read again from
// byte 0, a rewind) is marked stale by triggers (migration 8); its next graph build takes its
// shares back out and graphs all its events again, so a re-read leaves the graph a first read
// would have made, rather than counting the old events twice.
//
// Files and symbols are nodes within their project (project.ts): a file by its path within the
// session's folder, so `README.md` of two projects is two nodes and the graph does not link
// projects that merely share a file name. A turn is its session's, so its project's too (recall
// and related keep to a project by it). Tools, commands, errors and decisions mean the same
// everywhere (an error seen in two projects links them on purpose).
import type { Database } from 'sql.js';
import { commandFailed, decisions, errorKey, errorSignature, firstLine } from '../distill/extract';
import { TOOL_OUTPUT_INDEX_CHARS } from '../store/migrations/recall';
import { all, json, num, one, optStr, str, type Row } from '../store/rows';
import { pathInProject } from './project';
import { MAX_PARSE_CHARS, symbolsOfRead } from './symbols';

export interface GraphEvent {
  id: number;
  turn: number;
  ts: string;
  kind: string;
  toolName: string | null;
  isError: boolean;
  paths: string[];
  meta: Record<string, unknown>;
  parentId: number | null;
  text: string;
}

export type NodeType = 'file' | 'symbol' | 'tool' | 'command' | 'error' | 'decision' | 'turn';
/** Node types that belong to a project: files and symbols by name, turns by their session. */
export const PROJECT_TYPES: ReadonlySet<NodeType> = new Set(['file', 'symbol', 'turn']);

const READ_TOOLS = new Set(['Read', 'NotebookRead']);
const EDIT_TOOLS = new Set(['Edit', 'MultiEdit', 'Write', 'NotebookEdit']);
// Paths with an extension, as written in prose and error output.
const PATH = /(?<![\w/.-])(?:\.{0,2}\/)?(?:[\w@.-]+\/)*[\w@-]+\.(?:[jt]sx?|mjs|cjs|py|go|rs|java|rb|c|cc|cpp|h|hpp|cs|kt|swift|php|json|ya?ml|toml|md|sql|css|scss|html|vue|svelte|sh)\b/g;
// Symbols: code spans that look like one identifier (definitions in code reads: symbols.ts).
const CODE_SPAN_IDENT = /`([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?:\(\))?`/g;
const MAX_CO_CHANGED = 12;
/** The head of a tool output the recall index holds; a longer read is fetched whole. */
const HEAD_CHARS = TOOL_OUTPUT_INDEX_CHARS;

export const turnNodeName = (session: number, turn: number) => `${session}:${turn}`;

/**
 * Graph writes for one batch of a session: node ids cached, edges summed in memory and written
 * once each, to graph_edges and (unless they hang off a turn, which names its session) to
 * graph_contrib. Files, symbols and turns are the session's project's.
 */
class GraphWriter {
  private readonly nodes = new Map<string, number>();
  private readonly edges = new Map<string, { src: number; dst: number; kind: string; weight: number; at: number }>();
  private readonly turns = new Set<number>();
  private readonly insertNode;
  constructor(
    private readonly db: Database,
    private readonly session: number,
    private readonly project: string,
  ) {
    this.insertNode = db.prepare('INSERT OR IGNORE INTO graph_nodes (type, name, project, key) VALUES (?, ?, ?, ?)');
  }
  /** A node's id; a file is named by its path within the project (`path` as the transcript wrote it). */
  node(type: NodeType, nameOrPath: string): number {
    const project = PROJECT_TYPES.has(type) ? this.project : '';
    const name = type === 'file' ? pathInProject(nameOrPath, project) : nameOrPath;
    const key = `${type}\u0000${name}`;
    let id = this.nodes.get(key);
    if (id === undefined) {
      this.insertNode.run([type, name, project, nodeKey(type, name)]);
      id = num(one(this.db, 'SELECT id FROM graph_nodes WHERE type = ? AND name = ? AND project = ?', [type, name, project])?.id);
      this.nodes.set(key, id);
      if (type === 'turn') this.turns.add(id);
    }
    return id;
  }
  edge(src: number, dst: number, kind: string, at: string, weight = 1): void {
    if (src === dst) return;
    const seconds = at ? Math.floor(Date.parse(at) / 1000) || 0 : 0;
    const key = `${src} ${dst} ${kind}`;
    const e = this.edges.get(key);
    if (e) {
      e.weight += weight;
      if (seconds > e.at) e.at = seconds;
    } else this.edges.set(key, { src, dst, kind, weight, at: seconds });
  }
  /** Writes the summed edges: each to graph_edges, and the session's share of those not on a turn. */
  flush(): void {
    const upsertEdge = this.db.prepare(
      `INSERT INTO graph_edges (src, dst, kind, weight, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (src, dst, kind) DO UPDATE SET weight = weight + excluded.weight, at = max(at, excluded.at)`,
    );
    const upsertShare = this.db.prepare(
      `INSERT INTO graph_contrib (src, dst, kind, session, weight, at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (src, dst, kind, session) DO UPDATE SET weight = weight + excluded.weight, at = max(at, excluded.at)`,
    );
    try {
      for (const e of this.edges.values()) {
        upsertEdge.run([e.src, e.dst, e.kind, e.weight, e.at]);
        if (!this.turns.has(e.src) && !this.turns.has(e.dst)) upsertShare.run([e.src, e.dst, e.kind, this.session, e.weight, e.at]);
      }
    } finally {
      upsertEdge.free();
      upsertShare.free();
    }
    this.edges.clear();
  }
  free(): void {
    this.insertNode.free();
  }
}

/**
 * Adds the batch's events to the graph, their files and symbols within `project` (the session's
 * folder: projectOf(cwd)). A stale session (its events were rewritten since it was graphed) is
 * graphed again whole.
 */
export function graphEvents(db: Database, session: number, events: readonly GraphEvent[], project: string): void {
  if (one(db, 'SELECT 1 FROM graph_stale WHERE session = ?', [session])) {
    forgetSessionGraph(db, session);
    // Up to the batch's end: a catch-up that goes a step at a time graphs the rest with the next steps.
    events = sessionGraphEvents(db, session, events.at(-1)?.id);
    db.run('DELETE FROM graph_stale WHERE session = ?', [session]);
  }
  buildGraph(db, session, events, project);
}

/**
 * Takes a session's part out of the graph: the edges of its turns and its turn nodes, its shares
 * of the other edges (an edge left with no share goes; one still shared keeps the sum and the
 * latest time of the shares left), the nodes left with no edge, and its supersession bookkeeping.
 */
export function forgetSessionGraph(db: Database, session: number): void {
  const touched = new Set<number>();
  const turnNodes = all(db, "SELECT id FROM graph_nodes WHERE type = 'turn' AND name >= ? AND name < ?", [`${session}:`, `${session};`]).map((r) => num(r.id));
  for (const id of turnNodes) {
    for (const r of all(db, 'SELECT dst AS other FROM graph_edges WHERE src = ?1 UNION SELECT src FROM graph_edges WHERE dst = ?1', [id])) touched.add(num(r.other));
    db.run('DELETE FROM graph_edges WHERE src = ?1', [id]);
    db.run('DELETE FROM graph_edges WHERE dst = ?1', [id]);
    db.run('DELETE FROM graph_nodes WHERE id = ?', [id]);
  }
  const shares = all(db, 'SELECT src, dst, kind FROM graph_contrib WHERE session = ?', [session]);
  db.run('DELETE FROM graph_contrib WHERE session = ?', [session]);
  const rest = db.prepare('SELECT SUM(weight) AS weight, MAX(at) AS at FROM graph_contrib WHERE src = ? AND dst = ? AND kind = ?');
  const update = db.prepare('UPDATE graph_edges SET weight = ?, at = ? WHERE src = ? AND dst = ? AND kind = ?');
  const remove = db.prepare('DELETE FROM graph_edges WHERE src = ? AND dst = ? AND kind = ?');
  try {
    for (const r of shares) {
      const edge = [num(r.src), num(r.dst), str(r.kind)];
      touched.add(num(r.src)).add(num(r.dst));
      const left = rest.getAsObject(edge);
      rest.reset();
      if (left.weight == null) remove.run(edge);
      else update.run([num(left.weight), num(left.at), ...edge]);
    }
  } finally {
    rest.free();
    update.free();
    remove.free();
  }
  const orphan = db.prepare(
    'DELETE FROM graph_nodes WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM graph_edges WHERE src = ?1) AND NOT EXISTS (SELECT 1 FROM graph_edges WHERE dst = ?1)',
  );
  try {
    for (const id of touched) orphan.run([id]);
  } finally {
    orphan.free();
  }
  db.run('DELETE FROM recall_latest_read WHERE session = ?', [session]);
  db.run('DELETE FROM recall_superseded WHERE event_id IN (SELECT id FROM events WHERE session = ?)', [session]);
}

/** The columns of an event as graphing (and the index) reads it: tool output cut to the index's head. */
export const GRAPH_EVENT_COLUMNS = `id, turn, ts, kind, tool_name, is_error, paths, meta, parent_id,
  CASE WHEN kind = 'tool_result' THEN substr(text, 1, ${HEAD_CHARS}) ELSE text END AS body`;

/** A row of GRAPH_EVENT_COLUMNS as a GraphEvent. */
export function graphEventOf(row: Row): GraphEvent {
  return {
    id: num(row.id),
    turn: num(row.turn),
    ts: str(row.ts),
    kind: str(row.kind),
    toolName: optStr(row.tool_name),
    isError: num(row.is_error) === 1,
    paths: json<string[]>(row.paths, []),
    meta: json<Record<string, unknown>>(row.meta, {}),
    parentId: row.parent_id == null ? null : num(row.parent_id),
    text: str(row.body),
  };
}

/** A session's events as graphing sees them, up to `lastId`. */
function sessionGraphEvents(db: Database, session: number, lastId = Number.MAX_SAFE_INTEGER): GraphEvent[] {
  return all(db, `SELECT ${GRAPH_EVENT_COLUMNS} FROM events WHERE session = ? AND id <= ? ORDER BY id`, [session, lastId]).map(graphEventOf);
}

function buildGraph(db: Database, session: number, events: readonly GraphEvent[], project: string): void {
  const g = new GraphWriter(db, session, project);
  const callPaths = new Map<number, { paths: string[]; command: string | null }>();
  const latestRead = db.prepare(
    `INSERT INTO recall_latest_read (session, node, event_id) VALUES (?, ?, ?)
     ON CONFLICT (session, node) DO UPDATE SET event_id = excluded.event_id`,
  );
  const supersede = db.prepare(
    `INSERT OR REPLACE INTO recall_superseded (event_id, by_event)
     SELECT event_id, ? FROM recall_latest_read WHERE session = ? AND node = ? AND event_id <> ?`,
  );
  const dropLatest = db.prepare('DELETE FROM recall_latest_read WHERE session = ? AND node = ?');
  // The index holds a read's head; its symbols come from the whole read (capped in symbols.ts).
  const fullText = db.prepare(`SELECT substr(text, 1, ${MAX_PARSE_CHARS}) AS text FROM events WHERE id = ?`);
  const readText = (ev: GraphEvent): string => {
    if (ev.text.length < HEAD_CHARS) return ev.text;
    const row = fullText.getAsObject([ev.id]);
    fullText.reset();
    return row.text == null ? ev.text : str(row.text);
  };
  // Per turn: edited files (co-change) and errors seen so far (fixed-by).
  let turn = -1;
  let edited = new Set<number>();
  let errors = new Set<number>();
  let turnNode = 0;
  let turnAt = '';
  const closeTurn = () => {
    const files = [...edited].slice(0, MAX_CO_CHANGED);
    for (let i = 0; i < files.length; i++) for (let j = i + 1; j < files.length; j++) g.edge(files[i]!, files[j]!, 'co-changed', turnAt);
  };
  try {
    for (const ev of events) {
      if (ev.turn !== turn) {
        closeTurn();
        turn = ev.turn;
        edited = new Set();
        errors = new Set();
        turnNode = g.node('turn', turnNodeName(session, turn));
      }
      const at = ev.ts;
      if (at) turnAt = at;
      const fileNode = (p: string) => g.node('file', p);
      if (ev.kind === 'tool_call') {
        const tool = ev.toolName ?? 'tool';
        g.edge(turnNode, g.node('tool', tool), 'uses', at);
        const input = (ev.meta.input ?? {}) as { command?: unknown };
        const command = tool === 'Bash' && typeof input.command === 'string' ? commandName(input.command) : null;
        if (command) g.edge(turnNode, g.node('command', command), 'ran', at);
        callPaths.set(ev.id, { paths: ev.paths, command });
        continue;
      }
      if (ev.kind === 'tool_result') {
        const call = ev.parentId !== null ? callPaths.get(ev.parentId) : undefined;
        const tool = ev.toolName ?? '';
        const file = ev.paths[0] ?? call?.paths[0];
        const failed = ev.isError || commandFailed(ev);
        if (file && (READ_TOOLS.has(tool) || EDIT_TOOLS.has(tool)) && !ev.isError) {
          const node = fileNode(file);
          supersede.run([ev.id, session, node, ev.id]);
          if (READ_TOOLS.has(tool)) {
            g.edge(turnNode, node, 'read', at);
            latestRead.run([session, node, ev.id]);
            for (const name of symbolsOfRead(file, readText(ev)).names) g.edge(node, g.node('symbol', name), 'defines', at);
          } else {
            dropLatest.run([session, node]);
            g.edge(turnNode, node, 'edited', at, 2);
            edited.add(node);
            for (const e of errors) g.edge(e, node, 'fixed-by', at, 2);
          }
        }
        if (failed) {
          const signature = errorSignature(ev.text) ?? firstLine(ev.text);
          if (signature) {
            const err = g.node('error', errorKey(signature).slice(0, 200));
            g.edge(turnNode, err, 'error', at, 2);
            errors.add(err);
            if (call?.command) g.edge(g.node('command', call.command), err, 'produced-error', at);
            for (const m of ev.text.slice(0, 4000).matchAll(PATH)) g.edge(err, fileNode(m[0]), 'mentions', at);
          }
        }
        continue;
      }
      if (ev.kind === 'user_prompt' || ev.kind === 'assistant_text') {
        for (const m of ev.text.matchAll(PATH)) g.edge(turnNode, fileNode(m[0]), 'mentions', at);
        for (const m of ev.text.matchAll(CODE_SPAN_IDENT)) g.edge(turnNode, g.node('symbol', m[1]!), 'mentions', at);
        if (ev.kind === 'assistant_text') {
          for (const d of decisions(ev.text).slice(0, 4)) g.edge(turnNode, g.node('decision', d.slice(0, 160)), 'decided', at);
        }
      }
    }
    closeTurn();
    g.flush();
  } finally {
    g.free();
    fullText.free();
    latestRead.free();
    supersede.free();
    dropLatest.free();
  }
}

/**
 * The lookup key of a node (see graph_nodes.key): files by base name without its extension (a
 * dotfile by its whole name: `.gitignore`), symbols by name.
 */
export function nodeKey(type: NodeType, name: string): string | null {
  if (type === 'file') return (name.split(/[/\\]/).pop() ?? name).replace(/(.)\.[^.]*$/, '$1').toLowerCase();
  if (type === 'symbol') return name.toLowerCase();
  return null;
}

/** A command's identity for the graph: its first line's program and first argument (`npm test`). */
export function commandName(command: string): string {
  const line = (command.split('\n')[0] ?? '').trim();
  return line.split(/\s+/).slice(0, 2).join(' ').slice(0, 80);
}

