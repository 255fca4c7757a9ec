// The semantic graph of one session, cut to what a view can draw (DESIGN §6, §8): the session's
// files, symbols, commands, errors and decisions ranked by the weight of their edges, the turns
// that join them, and each entity's list of turns (what the timeline highlights).
//
// The graph is one for all sessions: a session owns its turn nodes ("<session key>:<turn>"), and
// an entity belongs to the session when one of those turns reaches it (or, one step further, when
// the text such an entity holds names it, within the session's project: an error seen in two
// projects names each one's files). Edges between two of the session's entities (co-changed,
// fixed-by, mentions, defines) are shared with other sessions of its project: they still say the
// two are related, so they are drawn.
import type { Database } from 'sql.js';
import { num, str } from '../store/rows';
import type { Store } from '../store/store';
import { PROJECT_TYPES, type NodeType } from './graph-build';
import { projectOf } from './project';
import { ensureRecorded } from './recall';

/** What the view draws: every type but tools. */
export type ViewNodeType = Exclude<NodeType, 'tool'>;

export interface ViewNode {
  id: number;
  type: ViewNodeType;
  /** The node's name: a path, a symbol, a command, an error signature, a decision, or `turn N`. */
  label: string;
  /** Summed weight of the node's edges within the session's graph (all of them, drawn or not). */
  weight: number;
  /** The session's turns the node touches, ascending (a turn node: its own). */
  turns: number[];
}

export interface ViewEdge {
  source: number;
  target: number;
  kind: string;
  weight: number;
}

export interface SessionGraph {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Nodes of the session's graph that were not drawn, by type (types with none left out are absent). */
  omitted: { type: ViewNodeType; count: number }[];
  omittedEdges: number;
}

export interface GraphViewOptions {
  /** Entities (every type but turns) drawn at most. */
  limit?: number;
  /** Turn nodes drawn at most: the ones joining the most weight among the drawn entities. */
  turnLimit?: number;
}

export const DEFAULT_GRAPH_LIMIT = 250;
export const DEFAULT_TURN_LIMIT = 120;
/** Edge kind → the type of node an entity reaches through it and brings into the session's graph. */
const REACHED_THROUGH: Record<string, NodeType> = { defines: 'symbol', mentions: 'file' };
/** Ties in weight: the kinds a reader looks for first. */
const TYPE_ORDER: ViewNodeType[] = ['file', 'error', 'decision', 'command', 'symbol', 'turn'];

interface Candidate {
  id: number;
  type: ViewNodeType;
  name: string;
  weight: number;
  turns: Set<number>;
}

export function sessionGraph(store: Store, sessionId: string, options: GraphViewOptions = {}): SessionGraph {
  ensureRecorded(store);
  const key = store.key(sessionId);
  return key ? graphOfSession(store.db, key, options) : { nodes: [], edges: [], omitted: [], omittedEdges: 0 };
}

function graphOfSession(db: Database, session: number, options: GraphViewOptions): SessionGraph {
  const project = projectOf(str(db.exec('SELECT cwd FROM sessions WHERE key = ?', [session])[0]?.values[0]?.[0] ?? ''));
  const limit = options.limit ?? DEFAULT_GRAPH_LIMIT;
  const turnLimit = options.turnLimit ?? DEFAULT_TURN_LIMIT;
  const turnNodes = sessionTurns(db, session);
  const entities = new Map<number, Candidate>();
  // Every edge of the session's graph, once: turn → entity, then entity → entity.
  const edges: ViewEdge[] = [];
  const fromNode = db.prepare(
    `SELECT e.dst, e.kind, e.weight, n.type, n.name, n.project FROM graph_edges e JOIN graph_nodes n ON n.id = e.dst WHERE e.src = ?`,
  );
  const out = (src: number): { dst: number; kind: string; weight: number; type: NodeType; name: string; project: string }[] => {
    const rows = [];
    fromNode.bind([src]);
    while (fromNode.step()) {
      const [dst, kind, weight, type, name, nodeProject] = fromNode.get();
      rows.push({ dst: Number(dst), kind: String(kind), weight: Number(weight), type: String(type) as NodeType, name: String(name), project: String(nodeProject) });
    }
    fromNode.reset();
    return rows;
  };
  const entity = (id: number, type: ViewNodeType, name: string): Candidate => {
    let c = entities.get(id);
    if (!c) entities.set(id, (c = { id, type, name, weight: 0, turns: new Set() }));
    return c;
  };
  try {
    for (const [turnId, turn] of turnNodes) {
      for (const e of out(turnId)) {
        // Tools join almost every turn (Read, Edit, Bash): hubs that say nothing about one turn.
        if (e.type === 'tool' || e.type === 'turn') continue;
        const c = entity(e.dst, e.type, e.name);
        c.weight += e.weight;
        c.turns.add(turn.turn);
        turn.weight += e.weight;
        edges.push({ source: turnId, target: e.dst, kind: e.kind, weight: e.weight });
      }
    }
    // Between entities. What the session's text named joins too: the symbols a file it read
    // defines, the files an error it hit names; they touch the turns that text was read in.
    const direct = [...entities.values()];
    const touched = new Set(entities.keys());
    for (const c of direct) {
      for (const e of out(c.id)) {
        const named = REACHED_THROUGH[e.kind] === e.type && !touched.has(e.dst) && (!PROJECT_TYPES.has(e.type) || e.project === project);
        const other = named ? entity(e.dst, e.type as ViewNodeType, e.name) : entities.get(e.dst);
        if (!other) continue;
        if (named) for (const t of c.turns) other.turns.add(t);
        c.weight += e.weight;
        other.weight += e.weight;
        edges.push({ source: c.id, target: e.dst, kind: e.kind, weight: e.weight });
      }
    }
  } finally {
    fromNode.free();
  }

  const keptEntities = [...entities.values()].sort(byImportance).slice(0, limit);
  const kept = new Set(keptEntities.map((c) => c.id));
  // A turn node earns its place by the weight it joins among the drawn entities.
  const joined = new Map<number, number>();
  for (const e of edges) if (turnNodes.has(e.source) && kept.has(e.target)) joined.set(e.source, (joined.get(e.source) ?? 0) + e.weight);
  const keptTurns = [...joined]
    .sort((a, b) => b[1] - a[1] || turnNodes.get(a[0])!.turn - turnNodes.get(b[0])!.turn)
    .slice(0, turnLimit)
    .map(([id]) => id);
  for (const id of keptTurns) kept.add(id);

  const nodes: ViewNode[] = [
    ...keptEntities.map((c) => ({ id: c.id, type: c.type, label: c.name, weight: c.weight, turns: [...c.turns].sort((a, b) => a - b) })),
    ...keptTurns.map((id) => {
      const t = turnNodes.get(id)!;
      return { id, type: 'turn' as const, label: `turn ${t.turn}`, weight: t.weight, turns: [t.turn] };
    }),
  ];
  const drawn = edges.filter((e) => kept.has(e.source) && kept.has(e.target));
  const left = new Map<ViewNodeType, number>();
  for (const c of entities.values()) if (!kept.has(c.id)) left.set(c.type, (left.get(c.type) ?? 0) + 1);
  const turnsLeft = turnNodes.size - keptTurns.length;
  if (turnsLeft > 0) left.set('turn', turnsLeft);
  return {
    nodes,
    edges: drawn,
    omitted: TYPE_ORDER.filter((t) => left.has(t)).map((type) => ({ type, count: left.get(type)! })),
    omittedEdges: edges.length - drawn.length,
  };
}

/** The session's turn nodes: id → turn number and (filled in later) the weight they join. */
function sessionTurns(db: Database, session: number): Map<number, { turn: number; weight: number }> {
  const prefix = `${session}:`;
  // A range on (type, name) rather than LIKE, so the unique index finds them: ';' follows ':'.
  const rows = db.exec('SELECT id, name FROM graph_nodes WHERE type = ? AND name >= ? AND name < ? ORDER BY id', ['turn', prefix, `${session};`]);
  const turns = new Map<number, { turn: number; weight: number }>();
  for (const [id, name] of rows[0]?.values ?? []) {
    const turn = Number(str(name).slice(prefix.length));
    if (Number.isSafeInteger(turn)) turns.set(num(id), { turn, weight: 0 });
  }
  return turns;
}

function byImportance(a: Candidate, b: Candidate): number {
  return b.weight - a.weight || TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
