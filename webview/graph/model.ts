// The graph view's pure logic (no DOM): which nodes and edges show under the type filter, a
// node's neighbourhood, search matches, sizes, short labels, seed positions and which labels fit.
import type { GraphData, GraphEdgeItem, GraphNodeItem, GraphNodeType } from '../../src/protocol';

export const TYPE_NAMES: Record<GraphNodeType, string> = {
  file: 'Files',
  symbol: 'Symbols',
  command: 'Commands',
  error: 'Errors',
  decision: 'Decisions',
  turn: 'Turns',
};

export const MIN_RADIUS = 3;
export const MAX_RADIUS = 18;

/** Radius by weight on a square-root scale: a node's area grows with its weight. */
export function nodeRadius(weight: number, maxWeight: number): number {
  if (maxWeight <= 0) return MIN_RADIUS;
  return MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * Math.sqrt(Math.max(0, weight) / maxWeight);
}

/** How many nodes of each type the graph has, in the order of GRAPH_NODE_TYPES given. */
export function typeCounts(nodes: readonly GraphNodeItem[], types: readonly GraphNodeType[]): { type: GraphNodeType; count: number }[] {
  const counts = new Map<GraphNodeType, number>();
  for (const n of nodes) counts.set(n.type, (counts.get(n.type) ?? 0) + 1);
  return types.map((type) => ({ type, count: counts.get(type) ?? 0 }));
}

/** The ids of the nodes shown when the types in `hidden` are filtered out, and the edges between them. */
export function visibleGraph(graph: Pick<GraphData, 'nodes' | 'edges'>, hidden: ReadonlySet<GraphNodeType>): { nodes: Set<number>; edges: GraphEdgeItem[] } {
  const nodes = new Set(graph.nodes.filter((n) => !hidden.has(n.type)).map((n) => n.id));
  return { nodes, edges: graph.edges.filter((e) => nodes.has(e.source) && nodes.has(e.target)) };
}

/** The node and the nodes one edge away (among `edges`: the visible ones). */
export function neighbourhood(id: number, edges: readonly GraphEdgeItem[]): Set<number> {
  const out = new Set([id]);
  for (const e of edges) {
    if (e.source === id) out.add(e.target);
    else if (e.target === id) out.add(e.source);
  }
  return out;
}

/** Nodes whose label contains the query, case-insensitive; an empty query matches nothing. */
export function searchMatches(nodes: readonly GraphNodeItem[], query: string): GraphNodeItem[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  return nodes.filter((n) => n.label.toLowerCase().includes(q)).sort((a, b) => b.weight - a.weight);
}

/** What is written beside a node: a file's base name, anything else cut to `max` characters. */
export function shortLabel(node: Pick<GraphNodeItem, 'type' | 'label'>, max = 28): string {
  const text = (node.type === 'file' ? (node.label.split('/').pop() ?? node.label) : node.label).replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Start positions on a sunflower spiral, heaviest at the centre: deterministic, so the layout is
 * the same every time for the same graph (d3-force's own jiggle is seeded too).
 */
export function seedPositions(nodes: readonly GraphNodeItem[], spacing = 14): Map<number, { x: number; y: number }> {
  const order = [...nodes].sort((a, b) => b.weight - a.weight || a.id - b.id);
  const golden = Math.PI * (3 - Math.sqrt(5));
  return new Map(order.map((n, i) => [n.id, { x: spacing * Math.sqrt(i + 0.5) * Math.cos(i * golden), y: spacing * Math.sqrt(i + 0.5) * Math.sin(i * golden) }]));
}

export interface LabelCandidate {
  id: number;
  /** Screen position and radius of the node. */
  x: number;
  y: number;
  r: number;
  /** The label's width and height on screen. */
  width: number;
  height: number;
  /** Higher is placed first. */
  priority: number;
}

/**
 * The labels that fit: greedily by priority, each to the right of its node, skipped when its box
 * would overlap a placed label. (Labels may cross other nodes' circles: a halo keeps them legible.)
 */
export function placeLabels(candidates: readonly LabelCandidate[]): Set<number> {
  const placed: { x0: number; y0: number; x1: number; y1: number }[] = [];
  const shown = new Set<number>();
  for (const c of [...candidates].sort((a, b) => b.priority - a.priority || a.id - b.id)) {
    const box = { x0: c.x + c.r + 2, y0: c.y - c.height / 2, x1: c.x + c.r + 2 + c.width, y1: c.y + c.height / 2 };
    if (placed.some((p) => box.x0 < p.x1 && p.x0 < box.x1 && box.y0 < p.y1 && p.y0 < box.y1)) continue;
    placed.push(box);
    shown.add(c.id);
  }
  return shown;
}

/** "Not drawn: 120 symbols, 30 turns and 200 edges", or '' when everything is drawn. */
export function omittedText(graph: Pick<GraphData, 'omitted' | 'omittedEdges'>): string {
  const parts = graph.omitted.filter((o) => o.count > 0).map((o) => `${o.count} ${TYPE_NAMES[o.type].toLowerCase()}`);
  if (graph.omittedEdges > 0) parts.push(`${graph.omittedEdges} edges`);
  if (parts.length === 0) return '';
  const list = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `Not drawn (lighter than those shown): ${list}.`;
}

/** "turns 1–3, 7": a node's turns as runs. */
export function turnsText(turns: readonly number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < turns.length; ) {
    let j = i;
    while (j + 1 < turns.length && turns[j + 1] === turns[j]! + 1) j++;
    runs.push(i === j ? `${turns[i]}` : `${turns[i]}–${turns[j]}`);
    i = j + 1;
  }
  if (runs.length === 0) return 'no turns';
  return `${turns.length === 1 ? 'turn' : 'turns'} ${runs.join(', ')}`;
}
