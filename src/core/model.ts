// The event model (DESIGN §3): every source format is parsed into these shapes.
// This file holds types only, so every layer (core, CLI, host, webview protocol) can share it.

export type EventKind =
  | 'user_prompt'
  | 'assistant_text'
  | 'thinking'
  | 'tool_call'
  | 'tool_result'
  | 'system'
  | 'compact_summary'
  | 'meta';

export const EVENT_KINDS: readonly EventKind[] = [
  'user_prompt',
  'assistant_text',
  'thinking',
  'tool_call',
  'tool_result',
  'system',
  'compact_summary',
  'meta',
];

export type Role = 'user' | 'assistant' | 'system' | 'tool';

/** Where the verbatim original of an event lives: the transcript stays the source of truth. */
export interface SourceRef {
  file: string;
  /** Byte offset of the JSONL line in the file. */
  offset: number;
  /** Byte length of the line, without its newline. */
  length: number;
  /** 1-based line number, for error messages and humans. */
  line: number;
}

/** API token usage of one assistant message, as the provider reported it. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}

/**
 * One event as a parser produces it, before it is stored. Parsers are stateless per line,
 * so that an incremental ingest can hand them only the appended lines; everything that
 * needs more than one line (usage dedupe, tool pairing, forks, turns) happens in the store.
 */
export interface ParsedEvent {
  kind: EventKind;
  role: Role;
  /** ISO-8601 timestamp, or '' when the record carries none. */
  ts: string;
  /**
   * Text as stored for search and distillation. Long text is cut (see `textLength`): the full
   * original is read back through `sourceRef`.
   */
  text: string;
  /** Length in characters of the full original text, before any cut. */
  textLength: number;
  /** Token count of the full original text. */
  tokens?: number;
  toolName?: string;
  toolUseId?: string;
  isError: boolean;
  /** Files this event reads, edits or names (absolute or as written in the transcript). */
  paths: string[];
  /** Set on the first event of an assistant message only; see `messageId`/`requestId` dedupe. */
  usage?: Usage;
  model?: string;
  messageId?: string;
  requestId?: string;
  /** Record identity in the source's DAG (Claude Code `uuid` / `parentUuid`). */
  uuid?: string;
  parentUuid?: string;
  /** Claude Code compact boundaries point back across the cut with `logicalParentUuid`. */
  logicalParentUuid?: string;
  sidechain: boolean;
  agentId?: string;
  /**
   * The session its record names (Claude Code `sessionId`). Ingest files the event under it: a
   * file's name is only a hint, and a file may hold lines of more than one session.
   */
  sessionId?: string;
  /** Source-specific structured data: record type, subtype, toolUseResult metadata, … */
  meta: Record<string, unknown>;
  sourceRef: SourceRef;
}

/** Session-level facts a record can reveal (title, cwd, branch, …). Later values win. */
export interface SessionFacts {
  sessionId?: string;
  cwd?: string;
  gitBranch?: string;
  /** A generated title (Claude Code `ai-title`). */
  title?: string;
  /** A title the user set; outranks `title`. */
  customTitle?: string;
  /** Lower priority than `title` (e.g. legacy `summary` records). */
  fallbackTitle?: string;
  version?: string;
}

/** A problem with one line of one file: reported, never fatal for the rest of the file. */
export interface LineIssue {
  file: string;
  /** 1-based line number; 0 for a problem with the file as a whole (unreadable, unlinkable). */
  line: number;
  message: string;
}

export interface Session {
  id: string;
  source: string;
  title: string;
  cwd: string;
  gitBranch: string;
  startedAt: string;
  updatedAt: string;
  /** The main transcript file. */
  file: string;
  bytesIngested: number;
}

/** A stored event. `id` is global across sessions: it is the recall handle `e<id>`. */
export interface StoredEvent {
  id: number;
  sessionId: string;
  seq: number;
  turn: number;
  ts: string;
  kind: EventKind;
  role: Role;
  text: string;
  textLength: number;
  toolName: string | null;
  toolUseId: string | null;
  isError: boolean;
  paths: string[];
  tokens: number;
  usage: Usage | null;
  model: string | null;
  /** Event id of the parent: for a tool result its call; for a subagent's events the Task call. */
  parentId: number | null;
  sidechain: boolean;
  agentId: string | null;
  /** False for events on an abandoned fork of the `parentUuid` DAG. */
  mainLine: boolean;
  meta: Record<string, unknown>;
  sourceRef: SourceRef;
}

export interface Turn {
  sessionId: string;
  index: number;
  firstEventId: number;
  lastEventId: number;
  startedAt: string;
  prompt: string;
  eventCount: number;
  tokens: number;
}
