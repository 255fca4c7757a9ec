// Personalized PageRank over the semantic graph (DESIGN §6): diffuse from the query's nodes, with
// a configurable restart probability, edge weights decayed by age. The walk runs on the query's
// neighbourhood (a few hops from the seeds), loaded from the database, never on the whole graph.
import type { Database } from 'sql.js';
import { all, num, statement, str } from '../store/rows';

export interface PageRankOptions {
  /** Probability of jumping back to the seeds at each step (default 0.25). */
  restart?: number;
  iterations?: number;
  /** Hops from the seeds to load (default 3). */
  hops?: number;
  /** An edge's weight halves every `halfLifeDays` of age (default 30). */
  halfLifeDays?: number;
  now?: () => Date;
  /** Load the edges of at most this many nodes (the neighbourhood's size bound). */
  maxNodes?: number;
}

export const DEFAULT_RESTART = 0.25;
const DAY_MS = 86_400_000;
/** Tool nodes join almost every turn: walking through them would spread the score everywhere. */
const SKIPPED_KINDS = new Set(['uses']);
/** A node with more edges than this is a hub. */
const HUB_DEGREE = 40;

/** Node id → score (summing to about 1), for every node reached from `seeds` (id → weight). */
export function personalizedPageRank(db: Database, seeds: Map<number, number>, options: PageRankOptions = {}): Map<number, number> {
  const restart = options.restart ?? DEFAULT_RESTART;
  const hops = options.hops ?? 3;
  const halfLife = options.halfLifeDays ?? 30;
  const now = (options.now ?? (() => new Date()))().getTime();
  const maxLoads = options.maxNodes ?? 24;
  const seedTotal = [...seeds.values()].reduce((a, b) => a + b, 0);
  if (seeds.size === 0 || seedTotal <= 0) return new Map();

  // Neighbourhood: undirected edges, weights decayed by age, nodes numbered 0..n-1 as met.
  const index = new Map<number, number>();
  const ids: number[] = [];
  const at = (id: number) => {
    let i = index.get(id);
    if (i === undefined) {
      index.set(id, (i = ids.length));
      ids.push(id);
    }
    return i;
  };
  for (const id of seeds.keys()) at(id);
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const loaded = new Set<number>();
  let frontier = [...seeds.keys()];
  // Tool edges are left out in SQL: they are most of a turn's edges and never walked.
  const edges = statement(
    db,
    `SELECT dst AS other, weight, at FROM graph_edges WHERE src = ?1 AND kind NOT IN (${[...SKIPPED_KINDS].map((k) => `'${k}'`).join(', ')})
     UNION ALL SELECT src AS other, weight, at FROM graph_edges WHERE dst = ?1 AND kind NOT IN (${[...SKIPPED_KINDS].map((k) => `'${k}'`).join(', ')})
     LIMIT ${HUB_DEGREE + 1}`,
  );
  try {
    for (let hop = 0; hop < hops && frontier.length > 0 && loaded.size < maxLoads; hop++) {
      const next: number[] = [];
      for (const node of frontier) {
        if (loaded.has(node) || loaded.size >= maxLoads) continue;
        loaded.add(node);
        const found: number[] = [];
        edges.bind([node]);
        while (edges.step()) {
          const [other, w, seconds] = edges.get() as [number, number, number];
          const age = seconds ? Math.max(0, now - seconds * 1000) / DAY_MS : 0;
          found.push(other, w * Math.pow(0.5, age / halfLife));
        }
        edges.reset();
        // A hub (a command run in every turn, a file read everywhere) says little about any one
        // turn, and walking through it would spread the score everywhere: it is left out, unless
        // the query named it.
        if (found.length / 2 > HUB_DEGREE && !seeds.has(node)) continue;
        const a = at(node);
        for (let k = 0; k < found.length; k += 2) {
          const other = found[k]!;
          from.push(a);
          to.push(at(other));
          weight.push(found[k + 1]!);
          if (!loaded.has(other)) next.push(other);
        }
      }
      frontier = next;
    }
  } finally {
    edges.reset();
  }

  // The walk, on typed arrays: each edge carries rank both ways, in proportion to its weight.
  const n = ids.length;
  const strength = new Float64Array(n);
  for (let e = 0; e < from.length; e++) {
    strength[from[e]!]! += weight[e]!;
    strength[to[e]!]! += weight[e]!;
  }
  const personal = new Float64Array(n);
  for (const [id, w] of seeds) personal[index.get(id)!] = w / seedTotal;
  let rank = Float64Array.from(personal);
  for (let i = 0; i < (options.iterations ?? 15); i++) {
    const next = new Float64Array(n);
    let dangling = 0;
    for (let v = 0; v < n; v++) {
      next[v] = restart * personal[v]!;
      // A node only the seeds point at, with no edges loaded: its walk restarts.
      if (strength[v]! <= 0) dangling += rank[v]!;
    }
    for (let e = 0; e < from.length; e++) {
      const a = from[e]!;
      const b = to[e]!;
      const w = weight[e]!;
      if (strength[a]! > 0) next[b]! += ((1 - restart) * rank[a]! * w) / strength[a]!;
      if (strength[b]! > 0) next[a]! += ((1 - restart) * rank[b]! * w) / strength[b]!;
    }
    if (dangling > 0) for (let v = 0; v < n; v++) next[v]! += (1 - restart) * dangling * personal[v]!;
    rank = next;
  }
  const out = new Map<number, number>();
  for (let v = 0; v < n; v++) if (rank[v]! > 0) out.set(ids[v]!, rank[v]!);
  return out;
}

export interface GraphNode {
  id: number;
  type: string;
  name: string;
  /** The project a file's or symbol's name is within ('' for other types). */
  project: string;
}

export function nodesById(db: Database, ids: number[]): Map<number, GraphNode> {
  const out = new Map<number, GraphNode>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const row of all(db, `SELECT id, type, name, project FROM graph_nodes WHERE id IN (${chunk.map(() => '?').join(',')})`, chunk)) {
      out.set(num(row.id), { id: num(row.id), type: str(row.type), name: str(row.name), project: str(row.project) });
    }
  }
  return out;
}
