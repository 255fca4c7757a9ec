// `loupe related <file|symbol|text>`: what the graph connects to a file, a symbol or a text, and
// the turns about it packed into a token budget, best first.
//
// A name is looked up within one project (files and symbols are nodes within their project): the
// session's, when one is given; else the project where the name occurs, the one it names most
// strongly or, in a tie, the one worked in last (the others are listed, not walked), and what the
// walk reaches in another project (through an error both hit) is left out. `allProjects` looks it
// up, and shows what it reaches, everywhere.
import { all, num } from '../store/rows';
import type { Store } from '../store/store';
import { countExact } from '../tokens/count';
import { nodesById, personalizedPageRank, type PageRankOptions } from './pagerank';
import { projectOf } from './project';
import { ensureRecorded, recordTouches, type HitLevel } from './recall';
import { PROJECT_TYPES, type NodeType } from './graph-build';
import { namedNodes, projectsNaming, seedWeights, type ProjectScope } from './seeds';

export interface RelatedOptions extends PageRankOptions {
  budget?: number;
  limit?: number;
  record?: boolean;
  /** Look the target up in this session's project (an id, prefix or `latest`). */
  session?: string;
  /** Look the target up in every project. */
  allProjects?: boolean;
}

export interface RelatedNode {
  type: string;
  name: string;
  /** The project a file's or symbol's name is within ('' for other types). */
  project: string;
}

export interface RelatedResult {
  target: string;
  /** The projects the target was looked up in (null: every project). */
  projects: string[] | null;
  /** Other projects where the target names something, not walked (see allProjects). */
  otherProjects: string[];
  seeds: RelatedNode[];
  nodes: (RelatedNode & { score: number })[];
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
  const { scope, others } = lookupScope(store, target, options);
  const seeds = seedWeights(namedNodes(db, target, scope));
  const rank = personalizedPageRank(db, seeds, options);
  const nodes = nodesById(db, [...rank.keys()]);
  // What the walk reached in other projects is theirs (an error node is shared, its turns are not).
  const inScope = (id: number) => {
    const n = nodes.get(id);
    return n !== undefined && (scope === null || !PROJECT_TYPES.has(n.type as NodeType) || scope.includes(n.project));
  };
  const ranked = [...rank].filter(([id]) => inScope(id)).sort((a, b) => b[1] - a[1]);
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
    projects: scope === null ? null : [...scope],
    otherProjects: others,
    seeds: [...seeds.keys()].flatMap((id) => {
      const n = nodes.get(id);
      return n ? [{ type: n.type, name: n.name, project: n.project }] : [];
    }),
    nodes: ranked
      .filter(([id]) => nodes.get(id)!.type !== 'turn' && !seeds.has(id))
      .slice(0, limit)
      .map(([id, score]) => ({ type: nodes.get(id)!.type, name: nodes.get(id)!.name, project: nodes.get(id)!.project, score: round(score) })),
    turns,
    tokens,
  };
}

/** The projects to look the target up in, and the other projects where it names something. */
function lookupScope(store: Store, target: string, options: RelatedOptions): { scope: ProjectScope; others: string[] } {
  if (options.allProjects) return { scope: null, others: [] };
  if (options.session) {
    const project = projectOf(store.resolveSession(options.session).cwd);
    return { scope: [project], others: projectsNaming(store.db, target).filter((p) => p !== project) };
  }
  const [first, ...others] = projectsNaming(store.db, target);
  return { scope: first === undefined ? [] : [first], others };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
