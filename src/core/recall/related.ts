// `loupe related <file|symbol|text>`: what the graph connects to a file, a symbol or a text, and
// the turns about it packed into a token budget, best first.
import { all, num } from '../store/rows';
import type { Store } from '../store/store';
import { countExact } from '../tokens/count';
import { nodesById, personalizedPageRank, type PageRankOptions } from './pagerank';
import { ensureRecorded, queryNodes, recordTouches, type HitLevel } from './recall';

export interface RelatedOptions extends PageRankOptions {
  budget?: number;
  limit?: number;
  record?: boolean;
}

export interface RelatedResult {
  target: string;
  seeds: { type: string; name: string }[];
  nodes: { type: string; name: string; score: number }[];
  turns: { sessionId: string; turn: number; score: number; handle: string; level: HitLevel; tokens: number; text: string }[];
  tokens: number;
}

export function related(store: Store, target: string, options: RelatedOptions = {}): RelatedResult {
  ensureRecorded(store);
  const result = store.read(() => relatedTo(store, target, options));
  if (options.record !== false && result.turns.length > 0) recordTouches(store, result.turns, options.now);
  return result;
}

function relatedTo(store: Store, target: string, options: RelatedOptions): RelatedResult {
  const db = store.db;
  const seeds = queryNodes(db, target);
  const rank = personalizedPageRank(db, seeds, options);
  const nodes = nodesById(db, [...rank.keys()]);
  const ranked = [...rank].filter(([id]) => nodes.has(id)).sort((a, b) => b[1] - a[1]);
  const limit = options.limit ?? 15;
  const budget = options.budget ?? 2000;
  const turns: RelatedResult['turns'] = [];
  let tokens = 0;
  for (const [id, score] of ranked) {
    const node = nodes.get(id)!;
    if (node.type !== 'turn') continue;
    const [session, turn] = node.name.split(':').map(Number) as [number, number];
    const unit = all(db, 'SELECT id, text FROM units WHERE session = ? AND level = 2 AND turn_from = ?', [session, turn])[0];
    const prompt = unit
      ? undefined
      : all(db, 'SELECT id, text FROM events WHERE session = ? AND turn = ? AND kind = ? ORDER BY id LIMIT 1', [session, turn, 'user_prompt'])[0];
    const row = unit ?? prompt;
    if (!row) continue;
    const text = String(row.text);
    const cost = countExact(text);
    if (tokens + cost > budget) continue;
    tokens += cost;
    const sessionId = String(all(db, 'SELECT id FROM sessions WHERE key = ?', [session])[0]?.id ?? '');
    turns.push({ sessionId, turn, score: round(score), handle: unit ? `u${num(row.id)}` : `e${num(row.id)}`, level: unit ? 'R2' : 'R0', tokens: cost, text });
  }
  return {
    target,
    seeds: [...seeds.keys()].flatMap((id) => {
      const n = nodes.get(id);
      return n ? [{ type: n.type, name: n.name }] : [];
    }),
    nodes: ranked
      .filter(([id]) => nodes.get(id)!.type !== 'turn' && !seeds.has(id))
      .slice(0, limit)
      .map(([id, score]) => ({ type: nodes.get(id)!.type, name: nodes.get(id)!.name, score: round(score) })),
    turns,
    tokens,
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
