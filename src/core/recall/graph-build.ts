// Building the semantic graph from events, incrementally (DESIGN §6). Nodes: files, symbols,
// tools, commands, error signatures, decisions and turns; edges: read, edited, error, mentions,
// co-changed (edited in the same turn), fixed-by (an error, then an edit in the same turn: the
// file was edited because of it), uses, ran, decided, defines. Each edge has a weight (summed
// over occurrences) and the time it was last seen. Also the update rule: a newer read or edit
// of a file supersedes the older reads of it.
import type { Database } from 'sql.js';
import { commandFailed, decisions, errorKey, errorSignature, firstLine } from '../distill/extract';
import { num, one } from '../store/rows';

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

const READ_TOOLS = new Set(['Read', 'NotebookRead']);
const EDIT_TOOLS = new Set(['Edit', 'MultiEdit', 'Write', 'NotebookEdit']);
// Paths with an extension, as written in prose and error output.
const PATH = /(?<![\w/.-])(?:\.{0,2}\/)?(?:[\w@.-]+\/)*[\w@-]+\.(?:[jt]sx?|mjs|cjs|py|go|rs|java|rb|c|cc|cpp|h|hpp|cs|kt|swift|php|json|ya?ml|toml|md|sql|css|scss|html|vue|svelte|sh)\b/g;
// Symbols: code spans that look like one identifier, and definitions in code that was read.
const CODE_SPAN_IDENT = /`([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?:\(\))?`/g;
const DEFINITION =
  /\b(?:function|class|interface|type|enum|def|fn|func|struct|trait|const|let|var)\s+([A-Za-z_$][\w$]{2,})/g;
const MAX_SYMBOLS_PER_READ = 40;
const MAX_CO_CHANGED = 12;

export const turnNodeName = (session: number, turn: number) => `${session}:${turn}`;

/** Graph writes for one batch: node ids cached, edges upserted. */
class GraphWriter {
  private readonly nodes = new Map<string, number>();
  private readonly insertNode;
  private readonly upsertEdge;
  constructor(private readonly db: Database) {
    this.insertNode = db.prepare('INSERT OR IGNORE INTO graph_nodes (type, name, key) VALUES (?, ?, ?)');
    this.upsertEdge = db.prepare(
      `INSERT INTO graph_edges (src, dst, kind, weight, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (src, dst, kind) DO UPDATE SET weight = weight + excluded.weight, at = max(at, excluded.at)`,
    );
  }
  node(type: NodeType, name: string): number {
    const key = `${type}\u0000${name}`;
    let id = this.nodes.get(key);
    if (id === undefined) {
      this.insertNode.run([type, name, nodeKey(type, name)]);
      id = num(one(this.db, 'SELECT id FROM graph_nodes WHERE type = ? AND name = ?', [type, name])?.id);
      this.nodes.set(key, id);
    }
    return id;
  }
  edge(src: number, dst: number, kind: string, at: string, weight = 1): void {
    if (src !== dst) this.upsertEdge.run([src, dst, kind, weight, at ? Math.floor(Date.parse(at) / 1000) || 0 : 0]);
  }
  free(): void {
    this.insertNode.free();
    this.upsertEdge.free();
  }
}

/** Adds the batch's events to the graph. `short` makes a path relative to the session's folder. */
export function graphEvents(db: Database, session: number, events: readonly GraphEvent[], short: (path: string) => string): void {
  const g = new GraphWriter(db);
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
      const fileNode = (p: string) => g.node('file', short(p));
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
            let n = 0;
            for (const m of ev.text.matchAll(DEFINITION)) {
              if (n++ >= MAX_SYMBOLS_PER_READ) break;
              g.edge(node, g.node('symbol', m[1]!), 'defines', at);
            }
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
  } finally {
    g.free();
    latestRead.free();
    supersede.free();
    dropLatest.free();
  }
}

/** The lookup key of a node (see graph_nodes.key): files by base name, symbols by name. */
export function nodeKey(type: NodeType, name: string): string | null {
  if (type === 'file') return (name.split('/').pop() ?? name).replace(/\.[^.]*$/, '').toLowerCase();
  if (type === 'symbol') return name.toLowerCase();
  return null;
}

/** A command's identity for the graph: its first line's program and first argument (`npm test`). */
export function commandName(command: string): string {
  const line = (command.split('\n')[0] ?? '').trim();
  return line.split(/\s+/).slice(0, 2).join(' ').slice(0, 80);
}

