// The task state: what the session is working on now. Computed once from the recent turns and
// read by both assembly rules (history by time, code by relevance); neither rule depends on the
// other's output (DESIGN §5).
import { shortPath } from '../distill/analysis';
import type { DistilledSession } from '../distill/units';

export interface TaskState {
  goal: string;
  /** Files edited or read in the last turns (session-relative paths). */
  focusFiles: Set<string>;
  /** Error signatures nothing later fixed. */
  openErrors: string[];
  /** Identifiers named by the goal, the recent prompts, the open errors and the query. */
  focusSymbols: Set<string>;
  /** Lower-cased words of the query (empty without one). */
  queryTerms: string[];
}

const FOCUS_TURNS = 3;
const IDENTIFIER = /\b(?:[a-z]+(?:[A-Z][a-z0-9]*)+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+|[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[A-Za-z_$][\w$]{2,}(?=\())/g;
const STOP = new Set(['the', 'and', 'for', 'with', 'that', 'this', 'from', 'into', 'what', 'when', 'where', 'which', 'how', 'why', 'are', 'was', 'were', 'has', 'have', 'does', 'did', 'not', 'but', 'all', 'any', 'can', 'you', 'our', 'its']);

export function computeTaskState(d: DistilledSession, query?: string): TaskState {
  const recent = d.turns.slice(-FOCUS_TURNS).map((t) => d.digests.get(t)!);
  const focusFiles = new Set<string>();
  for (const digest of recent) {
    for (const e of digest.edited) focusFiles.add(e.path);
    for (const r of digest.read) focusFiles.add(r);
  }
  const openErrors = d.context.openProblems.map((p) => p.signature);
  const symbolSources = [d.context.currentState.goal, ...recent.map((r) => r.intent), ...openErrors, query ?? ''];
  const focusSymbols = new Set<string>();
  for (const source of symbolSources) for (const m of source.matchAll(IDENTIFIER)) focusSymbols.add(m[0]);
  // Backticked names in the recent prompts are symbols too, whatever their case.
  for (const source of symbolSources) for (const m of source.matchAll(/`([A-Za-z_$][\w$.]*)`/g)) focusSymbols.add(m[1]!.split('.').pop()!);
  return {
    goal: d.context.currentState.goal,
    focusFiles,
    openErrors,
    focusSymbols,
    queryTerms: queryTerms(query ?? ''),
  };
}

export function queryTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const word of query.toLowerCase().split(/[^a-z0-9_$./-]+/)) {
    if (word.length >= 3 && !STOP.has(word)) terms.add(word);
  }
  return [...terms];
}

/** Whether a stored path is one of the focus files. */
export function isFocusFile(state: TaskState, path: string, cwd: string): boolean {
  return state.focusFiles.has(shortPath(path, cwd));
}
