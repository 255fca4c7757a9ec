// Personalized PageRank over the semantic graph (DESIGN §6): diffuse from the query's nodes, with
// a configurable restart probability, edge weights decayed by age. The walk runs on the query's
// neighbourhood (a few hops from the seeds), loaded from the database, never on the whole graph.
import type { Database } from 'sql.js';
import { all, num, str } from '../store/rows';

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
const HUB_DEGREE = 60;

/** Node id → score (summing to about 1), for every node reached from `seeds` (id → weight). */
export function personalizedPageRank(db: Database, seeds: Map<number, number>, options: PageRankOptions = {}): Map<number, number> {
  const restart = options.restart ?? DEFAULT_RESTART;
  const hops = options.hops ?? 3;
  const halfLife = options.halfLifeDays ?? 30;
  const now = (options.now ?? (() => new Date()))().getTime();
  const maxLoads = options.maxNodes ?? 60;
  const seedTotal = [...seeds.values()].reduce((a, b) => a + b, 0);
  if (seeds.size === 0 || seedTotal <= 0) return new Map();

  // Neighbourhood: adjacency lists (undirected), weights decayed by age.
  const adjacency = new Map<number, Map<number, number>>();
  const link = (a: number, b: number, w: number) => {
    let m = adjacency.get(a);
    if (!m) adjacency.set(a, (m = new Map()));
    m.set(b, (m.get(b) ?? 0) + w);
  };
  const loaded = new Set<number>();
  let frontier = [...seeds.keys()];
  const edges = db.prepare(
    `SELECT dst AS other, kind, weight, at FROM graph_edges WHERE src = ?1
     UNION ALL SELECT src AS other, kind, weight, at FROM graph_edges WHERE dst = ?1 LIMIT ${HUB_DEGREE + 1}`,
  );
  try {
    for (let hop = 0; hop < hops && frontier.length > 0 && loaded.size < maxLoads; hop++) {
      const next: number[] = [];
      for (const node of frontier) {
        if (loaded.has(node) || loaded.size >= maxLoads) continue;
        loaded.add(node);
        const found: { other: number; w: number }[] = [];
        edges.bind([node]);
        while (edges.step()) {
          const [other, kind, weight, at] = edges.get();
          if (SKIPPED_KINDS.has(String(kind))) continue;
          const age = at ? Math.max(0, now - Number(at) * 1000) / DAY_MS : 0;
          found.push({ other: Number(other), w: Number(weight) * Math.pow(0.5, (Number.isFinite(age) ? age : 0) / halfLife) });
        }
        edges.reset();
        // A hub (a command run in every turn, a file read everywhere) says little about any one
        // turn, and walking through it would spread the score everywhere: it is left out, unless
        // the query named it.
        if (found.length > HUB_DEGREE && !seeds.has(node)) continue;
        for (const { other, w } of found) {
          link(node, other, w);
          link(other, node, w);
          if (!loaded.has(other)) next.push(other);
        }
      }
      frontier = next;
    }
  } finally {
    edges.free();
  }

  const nodes = new Set<number>([...seeds.keys(), ...adjacency.keys()]);
  const personal = new Map<number, number>();
  for (const [id, w] of seeds) personal.set(id, w / seedTotal);
  const strength = new Map<number, number>();
  for (const [id, m] of adjacency) strength.set(id, [...m.values()].reduce((a, b) => a + b, 0));
  let rank = new Map(personal);
  for (let i = 0; i < (options.iterations ?? 15); i++) {
    const next = new Map<number, number>();
    for (const id of nodes) next.set(id, restart * (personal.get(id) ?? 0));
    let dangling = 0;
    for (const [id, r] of rank) {
      const m = adjacency.get(id);
      const total = strength.get(id) ?? 0;
      // A node only the seeds point at, with no edges loaded: its walk restarts.
      if (!m || total <= 0) {
        dangling += r;
        continue;
      }
      for (const [other, w] of m) next.set(other, (next.get(other) ?? 0) + (1 - restart) * r * (w / total));
    }
    if (dangling > 0) for (const [id, p] of personal) next.set(id, next.get(id)! + (1 - restart) * dangling * p);
    rank = next;
  }
  return rank;
}

export interface GraphNode {
  id: number;
  type: string;
  name: string;
}

export function nodesById(db: Database, ids: number[]): Map<number, GraphNode> {
  const out = new Map<number, GraphNode>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const row of all(db, `SELECT id, type, name FROM graph_nodes WHERE id IN (${chunk.map(() => '?').join(',')})`, chunk)) {
      out.set(num(row.id), { id: num(row.id), type: str(row.type), name: str(row.name) });
    }
  }
  return out;
}
