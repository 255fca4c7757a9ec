// Session-wide facts that the per-turn renderings need: which file reads a later read or edit
// superseded, which errors repeat, how tool calls pair with results. Computed once per session
// from its main-line events, in one pass.
import type { StoredEvent } from '../model';
import { commandFailed, errorKey, errorSignature, firstLine } from './extract';
import { pathInProject, projectOf } from '../project-path';

export interface SessionAnalysis {
  /** Event id → its events, for pairing. */
  byId: Map<number, StoredEvent>;
  /** Tool result id → its call. */
  callOf: Map<number, StoredEvent>;
  /** Read result id → the later event (read or edit of the same file) that supersedes it. */
  supersededBy: Map<number, number>;
  /** Error tool result id → its signature line. */
  errorOf: Map<number, string>;
  /** Error key → ids of the results that show it, in order. */
  errorGroups: Map<string, number[]>;
  /** Error tool result id → the ids of every result showing the same error (its group). */
  errorGroupOf: Map<number, number[]>;
  /** Turn → its events (main line, subagents excluded), in order. */
  turns: Map<number, StoredEvent[]>;
  /** Turn → the subagent events hanging under it. */
  subagents: Map<number, StoredEvent[]>;
  cwd: string;
}

const READ_TOOLS = new Set(['Read', 'NotebookRead']);
const EDIT_TOOLS = new Set(['Edit', 'MultiEdit', 'Write', 'NotebookEdit']);

export function analyzeSession(events: readonly StoredEvent[], cwd: string): SessionAnalysis {
  const byId = new Map<number, StoredEvent>();
  const callOf = new Map<number, StoredEvent>();
  const supersededBy = new Map<number, number>();
  const errorOf = new Map<number, string>();
  const errorGroups = new Map<string, number[]>();
  const turns = new Map<number, StoredEvent[]>();
  const subagents = new Map<number, StoredEvent[]>();
  // The latest read result of each file, not yet superseded.
  const lastRead = new Map<string, number>();

  for (const ev of events) byId.set(ev.id, ev);
  for (const ev of events) {
    if (ev.sidechain) {
      push(subagents, ev.turn, ev);
      continue;
    }
    if (!ev.mainLine) continue;
    push(turns, ev.turn, ev);
    if (ev.kind !== 'tool_result') continue;
    const call = ev.parentId !== null ? byId.get(ev.parentId) : undefined;
    if (call) callOf.set(ev.id, call);
    const tool = ev.toolName ?? '';
    const file = ev.paths[0] ?? call?.paths[0];
    if (file && (READ_TOOLS.has(tool) || EDIT_TOOLS.has(tool))) {
      const older = lastRead.get(file);
      if (older !== undefined) supersededBy.set(older, ev.id);
      if (READ_TOOLS.has(tool) && !ev.isError) lastRead.set(file, ev.id);
      else lastRead.delete(file);
    }
    if (ev.isError || commandFailed(ev)) {
      const signature = errorSignature(ev.text) ?? firstLine(ev.text);
      if (signature) {
        errorOf.set(ev.id, signature);
        push(errorGroups, errorKey(signature), ev.id);
      }
    }
  }
  const errorGroupOf = new Map<number, number[]>();
  for (const ids of errorGroups.values()) for (const id of ids) errorGroupOf.set(id, ids);
  return { byId, callOf, supersededBy, errorOf, errorGroups, errorGroupOf, turns, subagents, cwd };
}


function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(value);
}

/**
 * A path relative to the session's folder when it lies inside it (shorter, and what the user says).
 * Compared as the graph compares them (project-path.ts): a Windows session writes its cwd as
 * `c:\Users\x` and its paths as `c:/Users/x/…`, and every path of such a session stayed absolute.
 */
export function shortPath(path: string, cwd: string): string {
  const project = projectOf(cwd);
  if (!project) return path;
  const inside = pathInProject(path, project);
  return inside === '.' || inside.startsWith('/') || /^[a-z]:\//.test(inside) ? path : inside;
}

/** What a tool call was about, in a few words: the path, the command, the pattern. */
export function mainArg(call: StoredEvent | undefined, cwd: string): string {
  if (!call) return '';
  if (call.paths[0]) return shortPath(call.paths[0], cwd);
  const rendering = call.text.split('\n')[0] ?? '';
  const afterName = rendering.replace(/^[\w.-]+(?::\s*|\s+)/, '');
  return afterName.length > 80 ? afterName.slice(0, 79) + '…' : afterName;
}
