// What wrote a JSONL file, told from its first records: Claude Code's lines, or another agent's.
//
// A folder handed to `loupe ingest` may hold any agent's transcripts (the real corpus holds Codex
// rollouts and pi sessions beside Claude Code's). Read as Claude Code, another agent's lines are
// unknown record types: each becomes a `meta` event and the file an empty session with no turn.
// So a file is recognised before it is read, and one Loupe cannot read yet is skipped with a line
// saying what it looks like.
import { isObject, nonEmpty, str } from './claude/build';

export interface Sniffed {
  /** `claude-code`, another agent's name, or `unknown`. */
  agent: string;
  /** How the file reads to a person: "a Codex CLI rollout (session_meta)". */
  description: string;
  /** The first `sessionId` a Claude Code record carries, when the head holds one. */
  sessionId?: string;
}

/**
 * Record types of Claude Code's JSONL (FORMATS.md §a). Conversation lines also carry `uuid` and
 * `sessionId`; the bookkeeping types may carry neither (a legacy `summary` heads many files).
 */
const CLAUDE_TYPES = new Set([
  'user',
  'assistant',
  'system',
  'summary',
  'ai-title',
  'custom-title',
  'agent-name',
  'last-prompt',
  'mode',
  'permission-mode',
  'pr-link',
  'worktree-state',
  'file-history-snapshot',
  'file-history-delta',
  'queue-operation',
  'attachment',
  'progress',
]);

const CODEX_TYPES = new Set(['session_meta', 'response_item', 'event_msg', 'turn_context', 'compacted']);

/**
 * The records of the head that parse as JSON objects. A line cut by the end of the head (a Codex
 * rollout's first line holds the whole system prompt, 20–40 KB) stands for a record with only its
 * first `type` and the top-level keys that recognition needs, read from its text.
 */
function headRecords(head: string, limit: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of head.split('\n')) {
    if (out.length >= limit) break;
    const text = line.trim();
    if (text === '') continue;
    try {
      const rec: unknown = JSON.parse(text);
      if (isObject(rec)) out.push(rec);
    } catch {
      if (text.startsWith('{')) out.push(partialRecord(text));
    }
  }
  return out;
}

const FIRST_TYPE = /"type"\s*:\s*"([^"\\]*)"/;
const PARTIAL_KEYS = ['payload', 'sessionId', 'uuid', 'version', 'id', 'step_index', 'source', 'sessionID', 'messageID', 'projectHash'];

function partialRecord(text: string): Record<string, unknown> {
  const rec: Record<string, unknown> = {};
  const type = FIRST_TYPE.exec(text)?.[1];
  if (type !== undefined) rec.type = type;
  for (const key of PARTIAL_KEYS) if (text.includes(`"${key}":`) || text.includes(`"${key}" :`)) rec[key] = true;
  const sessionId = SESSION_ID_IN_TEXT.exec(text)?.[1];
  if (sessionId !== undefined) rec.sessionId = sessionId;
  return rec;
}

/** A Claude Code record's session id, found in its text (a line may be too long to parse whole). */
export const SESSION_ID_IN_TEXT = /"sessionId"\s*:\s*"([^"\\]+)"/;

/**
 * Recognises the agent from up to the first `limit` records of a file's head. One record is not
 * always enough: a Claude Code file may open with a `summary` or a snapshot, so the first record
 * that says something decides, and a Claude Code session id is looked for in all of them.
 */
export function sniffJsonl(head: string, limit = 20): Sniffed {
  const records = headRecords(head, limit);
  let claude = false;
  let sessionId: string | undefined;
  for (const rec of records) {
    const type = str(rec.type) ?? '';
    const other = otherAgent(rec, type);
    if (other && !claude) return other;
    if (CLAUDE_TYPES.has(type)) {
      claude = true;
      sessionId ??= nonEmpty(rec.sessionId);
      if (sessionId !== undefined) break;
    }
  }
  // A first line too long for the head still names its session near its start or end.
  sessionId ??= SESSION_ID_IN_TEXT.exec(head)?.[1];
  if (claude || (records.length === 0 && sessionId !== undefined)) {
    return { agent: 'claude-code', description: 'a Claude Code transcript', ...(sessionId ? { sessionId } : {}) };
  }
  if (records.length === 0) return { agent: 'unknown', description: 'no JSON record in its first bytes' };
  const first = records[0]!;
  const type = str(first.type);
  const keys = Object.keys(first).slice(0, 4).join(', ');
  return { agent: 'unknown', description: type ? `an unknown JSONL format (first record type "${type}")` : `an unknown JSONL format (keys ${keys})` };
}

/** Formats of other agents (FORMATS.md), each by a field no Claude Code record has. */
function otherAgent(rec: Record<string, unknown>, type: string): Sniffed | undefined {
  if (CODEX_TYPES.has(type) && 'payload' in rec) return { agent: 'codex', description: `a Codex CLI rollout (${type})` };
  if (type === 'session' && 'version' in rec && 'id' in rec) return { agent: 'pi', description: 'a pi agent session (session header)' };
  if ('step_index' in rec && 'source' in rec) return { agent: 'antigravity', description: 'a Google Antigravity trajectory (step_index)' };
  if ('sessionID' in rec && ('messageID' in rec || 'role' in rec)) return { agent: 'opencode', description: 'an OpenCode message or part (sessionID)' };
  if ('kind' in rec && 'v' in rec && !('type' in rec)) return { agent: 'copilot', description: 'a VS Code chat session (kind/v records)' };
  if ('projectHash' in rec && 'sessionId' in rec) return { agent: 'gemini-cli', description: 'a Gemini CLI chat (projectHash)' };
  return undefined;
}
