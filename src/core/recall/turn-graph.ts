// The graph's half of recall's ranking (DESIGN §6): a PageRank score for the turns around a query.
// Seeds: the files and symbols the query names, looked up within a project (files and symbols are
// nodes within their project: seeds.ts), and the turns of its best text hits.
import type { Database } from 'sql.js';
import { all, num, str } from '../store/rows';
import { turnNodeName } from './graph-build';
import { personalizedPageRank, type PageRankOptions } from './pagerank';
import { namedNodes, projectsNaming, projectsOfSessions, seedWeights, type ProjectScope } from './seeds';

/** What the graph needs of a text hit: where it is and how well it matched. */
export interface TextHit {
  session: number;
  turn: number;
  bm25: number;
}

/** The best text hits whose turns seed the graph. */
const SEED_HITS = 10;
/** The best-ranked graph nodes looked at for turn scores. */
const GRAPH_NODES = 150;

/**
 * "<session key>:<turn>" → the graph score of the turn, from the query's names and its text hits
 * (best first); only the session's turns when `session` is given, else only turns of the projects
 * the names were looked up in (a walk can cross into another project through an error both hit:
 * that says something about the error, not about the other project's turns).
 */
export function turnGraphScores(
  db: Database,
  query: string,
  candidates: readonly TextHit[],
  session: number | null,
  options: PageRankOptions & { allProjects?: boolean },
): Map<string, number> {
  const scope = graphScope(db, query, session, candidates, options.allProjects === true);
  return rankedTurns(db, graphSeeds(db, query, candidates, scope), session, scope, options);
}

/**
 * Where the query's file and symbol names seed the graph: the session's project; with no session,
 * the projects of the best text hits (what the query is about), or, when nothing matched the text,
 * the project where the names occur most (projectsNaming); every project when asked.
 */
function graphScope(db: Database, query: string, session: number | null, candidates: readonly TextHit[], allProjects: boolean): ProjectScope {
  if (allProjects) return null;
  if (session !== null) return projectsOfSessions(db, [session]);
  const ofHits = projectsOfSessions(db, candidates.slice(0, SEED_HITS).map((c) => c.session));
  return ofHits.length > 0 ? ofHits : projectsNaming(db, query).slice(0, 1);
}

/** The graph's seeds: the query's nodes and the turns of the best text hits (by their share of the best BM25). */
function graphSeeds(db: Database, query: string, candidates: readonly TextHit[], scope: ProjectScope): Map<number, number> {
  const maxBm25 = Math.max(0, ...candidates.map((c) => c.bm25));
  const seeds = seedWeights(namedNodes(db, query, scope));
  const best = candidates.slice(0, SEED_HITS);
  const turnNodes = turnNodeIds(db, best.map((c) => turnNodeName(c.session, c.turn)));
  for (const c of best) {
    const id = turnNodes.get(turnNodeName(c.session, c.turn));
    if (id !== undefined) seeds.set(id, (seeds.get(id) ?? 0) + c.bm25 / (maxBm25 || 1));
  }
  return seeds;
}

/** Turn node name → id, for the names that have a node (one query). */
function turnNodeIds(db: Database, names: string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (names.length === 0) return out;
  const rows = all(db, `SELECT id, name FROM graph_nodes WHERE type = 'turn' AND name IN (${names.map(() => '?').join(',')})`, names);
  for (const row of rows) out.set(str(row.name), num(row.id));
  return out;
}

/** "<session key>:<turn>" → PageRank score of the turn's node, for the session's turns or the scope's. */
function rankedTurns(db: Database, seeds: Map<number, number>, session: number | null, scope: ProjectScope, options: PageRankOptions): Map<string, number> {
  const rank = [...personalizedPageRank(db, seeds, options)].sort((a, b) => b[1] - a[1]).slice(0, GRAPH_NODES);
  // Only the turns among the ranked nodes are read back.
  const ids = rank.map(([id]) => id);
  const names = new Map<number, string>();
  const projects = new Map<number, string>();
  if (ids.length > 0) {
    // `+type`: look the ids up by rowid, not every turn node up through the (type, name) index.
    for (const row of all(db, `SELECT id, name, project FROM graph_nodes WHERE id IN (${ids.map(() => '?').join(',')}) AND +type = 'turn'`, ids)) {
      names.set(num(row.id), str(row.name));
      projects.set(num(row.id), str(row.project));
    }
  }
  const out = new Map<string, number>();
  for (const [id, score] of rank) {
    const name = names.get(id);
    if (name === undefined) continue;
    if (session !== null && Number(name.slice(0, name.indexOf(':'))) !== session) continue;
    if (session === null && scope !== null && !scope.includes(projects.get(id)!)) continue;
    out.set(name, score);
  }
  return out;
}
