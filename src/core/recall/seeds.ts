// The graph nodes a query names (recall's and related's seeds), within the projects asked for.
// Files and symbols are nodes within their project (project.ts), so a name is looked up in a
// project: the session's when there is one; else where the name occurs (chosenProjects).
//
// A word names nodes three ways, strongest first: whole (a file's path, `contracts/hardhat.config.js`,
// or an absolute path inside a project; a symbol's name); by its tail (`hardhat.config.js` for
// `contracts/hardhat.config.js`; a bare word by a file's base name, `pool` for `src/db/pool.ts`);
// and, for a plain word only, by its parts (`getUserName` → `user`). A path's parts are not looked
// up: `hardhat.config.js` seeded every project's `config.toml` through `config`.
import type { Database } from 'sql.js';
import { all, num, statement, str, type Row } from '../store/rows';
import { nodeKey } from './graph-build';
import { looksLikePath, pathInProject, projectOf } from './project';
import { words } from './terms';

export interface NamedNode {
  id: number;
  type: string;
  name: string;
  project: string;
  /** How strongly the query names it: the personalization weight of the seed (summed over words). */
  weight: number;
}

const WHOLE = 2;
const TAIL = 1;
const PART = 0.5;
/** Nodes one key brings per project at most (a key like `index` names many files). */
const PER_KEY = 20;
/** Nodes one key brings across every project at most, when no project is chosen yet. */
const PER_KEY_ANYWHERE = 200;

/** Projects to look names up in: a list, or null for every project. */
export type ProjectScope = readonly string[] | null;

/** The nodes the query names within `scope`, strongest first. */
export function namedNodes(db: Database, query: string, scope: ProjectScope): NamedNode[] {
  const found = new Map<number, NamedNode>();
  const inScope = (project: string) => scope === null || scope.includes(project);
  const add = (row: Row, weight: number) => {
    const id = num(row.id);
    const known = found.get(id);
    if (known) known.weight += weight;
    else found.set(id, { id, type: str(row.type), name: str(row.name), project: str(row.project), weight });
  };
  const byName = statement(db, 'SELECT id, type, name, project FROM graph_nodes WHERE type = ? AND name = ?');
  const byNameIn = statement(db, 'SELECT id, type, name, project FROM graph_nodes WHERE type = ? AND name = ? AND project = ?');
  const byKey = statement(db, 'SELECT id, type, name, project FROM graph_nodes WHERE key = ? LIMIT ?');
  const byKeyIn = statement(db, 'SELECT id, type, name, project FROM graph_nodes WHERE key = ? AND project = ? LIMIT ?');
  const each = (stmt: typeof byName, params: (string | number)[], take: (row: Row) => void) => {
    stmt.bind(params);
    while (stmt.step()) take(stmt.getAsObject());
    stmt.reset();
  };
  // Per project when the scope lists them (through the (key, project) index); across all, bounded, when not.
  const keyed = (key: string, take: (row: Row) => void) => {
    if (scope === null) each(byKey, [key, PER_KEY_ANYWHERE], take);
    else for (const project of scope) each(byKeyIn, [key, project, PER_KEY], take);
  };
  let projects: string[] | undefined;
  try {
    for (const word of query.split(/\s+/).filter((w) => w.length >= 2)) {
      const path = pathInProject(word, '');
      const pathLike = looksLikePath(word);
      // Whole: a file by its path (an absolute one also by its path within each project it is in), a symbol by its name.
      each(byName, ['file', path], (row) => inScope(str(row.project)) && add(row, WHOLE));
      if (path.startsWith('/') || /^[a-z]:\//.test(path)) {
        projects ??= knownProjects(db);
        for (const project of projects.filter(inScope)) {
          const within = pathInProject(path, project);
          if (within !== path) each(byNameIn, ['file', within, project], (row) => add(row, WHOLE));
        }
      }
      each(byName, ['symbol', word], (row) => inScope(str(row.project)) && add(row, WHOLE));
      // Tail: files whose path ends with the word's (any extension for a bare word); symbols by name, any case.
      const key = nodeKey('file', path);
      if (key && key.length >= 3) {
        const tail = path.toLowerCase();
        keyed(key, (row) => {
          const name = str(row.name).toLowerCase();
          if (str(row.type) === 'symbol' ? !pathLike : !pathLike || name === tail || name.endsWith('/' + tail)) add(row, TAIL);
        });
      }
      // Parts of a plain word.
      if (!pathLike) for (const part of words(word).filter((w) => w.length >= 3)) keyed(part, (row) => add(row, PART));
    }
  } finally {
    for (const stmt of [byName, byNameIn, byKey, byKeyIn]) stmt.reset();
  }
  return [...found.values()].sort((a, b) => b.weight - a.weight || a.id - b.id);
}

/** Node id → seed weight. */
export function seedWeights(nodes: readonly NamedNode[]): Map<number, number> {
  return new Map(nodes.map((n) => [n.id, n.weight]));
}

/**
 * The projects where the query's names occur, the one they name most strongly first (ties: the
 * one worked in most recently). A name with no session to scope it is looked up here.
 */
export function projectsNaming(db: Database, query: string): string[] {
  const weight = new Map<string, number>();
  for (const n of namedNodes(db, query, null)) weight.set(n.project, (weight.get(n.project) ?? 0) + n.weight);
  if (weight.size <= 1) return [...weight.keys()];
  const active = lastActive(db);
  return [...weight.keys()].sort((a, b) => weight.get(b)! - weight.get(a)! || (active.get(b) ?? '').localeCompare(active.get(a) ?? '') || a.localeCompare(b));
}

/** Every session's project, once. */
function knownProjects(db: Database): string[] {
  return [...new Set(all(db, 'SELECT DISTINCT cwd FROM sessions').map((r) => projectOf(str(r.cwd))))];
}

/** Project → when a session in it was last updated (ISO time). */
function lastActive(db: Database): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of all(db, 'SELECT cwd, MAX(updated_at) AS at FROM sessions GROUP BY cwd')) {
    const project = projectOf(str(r.cwd));
    const at = str(r.at);
    if (at > (out.get(project) ?? '')) out.set(project, at);
  }
  return out;
}

/** The projects of these sessions (by key). */
export function projectsOfSessions(db: Database, sessions: readonly number[]): string[] {
  return [...new Set(sessionProjects(db, sessions).values())];
}

/** Session key → its project, for these sessions (one query). */
export function sessionProjects(db: Database, sessions: readonly number[]): Map<number, string> {
  const keys = [...new Set(sessions)];
  const out = new Map<number, string>();
  if (keys.length === 0) return out;
  for (const r of all(db, `SELECT key, cwd FROM sessions WHERE key IN (${keys.map(() => '?').join(',')})`, keys)) out.set(num(r.key), projectOf(str(r.cwd)));
  return out;
}
