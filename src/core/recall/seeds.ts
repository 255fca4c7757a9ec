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
import { all, num, statement, str } from '../store/rows';
import { nodeKey } from './graph-build';
import { looksLikePath, pathInProject, projectOf } from './project';
import { words } from './terms';

export interface NamedNode {
  id: number;
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

type NodeRow = Omit<NamedNode, 'weight'>;

/** Projects to look names up in: a list, or null for every project. */
export type ProjectScope = readonly string[] | null;

/**
 * The nodes the query names within `scope`, strongest first. Every lookup reads an index alone
 * (id and project are in it): reading each matching row's name from the table made seeding twice
 * as slow; names are read, by id, only to check a path's tail.
 */
export function namedNodes(db: Database, query: string, scope: ProjectScope): NamedNode[] {
  const found = new Map<number, NamedNode>();
  const inScope = (project: string) => scope === null || scope.includes(project);
  const add = (row: NodeRow, weight: number) => {
    const known = found.get(row.id);
    if (known) known.weight += weight;
    else found.set(row.id, { ...row, weight });
  };
  const byName = statement(db, 'SELECT id, project FROM graph_nodes WHERE type = ? AND name = ?');
  const byNameIn = statement(db, 'SELECT id, project FROM graph_nodes WHERE type = ? AND name = ? AND project = ?');
  const byKey = statement(db, 'SELECT id, project FROM graph_nodes WHERE key = ? LIMIT ?');
  const byKeyIn = statement(db, 'SELECT id, project FROM graph_nodes WHERE key = ? AND project = ? LIMIT ?');
  const typeAndName = statement(db, 'SELECT type, name FROM graph_nodes WHERE id = ?');
  const each = (stmt: typeof byName, params: (string | number)[], take: (row: NodeRow) => void) => {
    stmt.bind(params);
    while (stmt.step()) {
      const [id, project] = stmt.get();
      take({ id: num(id), project: str(project) });
    }
    stmt.reset();
  };
  // Per project when the scope lists them (through the (key, project) index); across all, bounded, when not.
  const keyed = (key: string, take: (row: NodeRow) => void) => {
    if (scope === null) each(byKey, [key, PER_KEY_ANYWHERE], take);
    else for (const project of scope) each(byKeyIn, [key, project, PER_KEY], take);
  };
  // A path's tail names a file whose path ends with it, at a segment: not a symbol, not another extension.
  const endsWith = (tail: string) => (row: NodeRow) => {
    const [type, name] = typeAndName.get([row.id]);
    typeAndName.reset();
    const lower = str(name).toLowerCase();
    if (type === 'file' && (lower === tail || lower.endsWith('/' + tail))) add(row, TAIL);
  };
  let projects: string[] | undefined;
  try {
    for (const word of query.split(/\s+/).filter((w) => w.length >= 2)) {
      const path = pathInProject(word, '');
      const pathLike = looksLikePath(word);
      // Whole: a file by its path (an absolute one also by its path within each project it is in), a symbol by its name.
      const whole = (row: NodeRow) => inScope(row.project) && add(row, WHOLE);
      each(byName, ['file', path], whole);
      if (path.startsWith('/') || /^[a-z]:\//.test(path)) {
        projects ??= knownProjects(db);
        for (const project of projects.filter(inScope)) {
          const within = pathInProject(path, project);
          if (within !== path) each(byNameIn, ['file', within, project], (row) => add(row, WHOLE));
        }
      }
      each(byName, ['symbol', word], whole);
      // Tail: files whose path ends with a path's (a bare word: a file by its base name, any
      // extension, or a symbol by its name in any case).
      const key = nodeKey('file', path);
      if (key && key.length >= 3) keyed(key, pathLike ? endsWith(path.toLowerCase()) : (row) => add(row, TAIL));
      // Parts of a plain word.
      if (!pathLike) for (const part of words(word).filter((w) => w.length >= 3)) keyed(part, (row) => add(row, PART));
    }
  } finally {
    for (const stmt of [byName, byNameIn, byKey, byKeyIn, typeAndName]) stmt.reset();
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

/**
 * Session key → its project, for these sessions. A lookup per session through one kept statement
 * (an IN list of each length would be a statement of its own in the statement cache).
 */
export function sessionProjects(db: Database, sessions: readonly number[]): Map<number, string> {
  const out = new Map<number, string>();
  const cwdOf = statement(db, 'SELECT cwd FROM sessions WHERE key = ?');
  try {
    for (const key of sessions) {
      if (out.has(key)) continue;
      cwdOf.bind([key]);
      out.set(key, cwdOf.step() ? projectOf(str(cwdOf.get()[0])) : '');
      cwdOf.reset();
    }
  } finally {
    cwdOf.reset();
  }
  return out;
}
