// Claude Code records that are not conversation: `system` lines and the session bookkeeping
// (titles, modes, file history, queue, progress…). Each becomes one event, so nothing in the
// file is lost and every line can be found again by its sourceRef.
import type { ParsedEvent, SessionFacts } from '../../model';
import {
  COMMON_FIELDS,
  type Json,
  type LineContext,
  MAX_TEXT_CHARS,
  addPaths,
  isObject,
  makeEvent,
  nonEmpty,
  num,
  scalarFields,
  str,
} from './build';
import { plainSystemText } from './injected';

/** Metadata objects of compaction: small, and what the store needs to place the boundary. */
const COMPACT_METADATA = ['compactMetadata', 'microcompactMetadata'] as const;

export function parseSystem(ctx: LineContext): ParsedEvent {
  const { rec } = ctx;
  const subtype = str(rec.subtype) ?? '';
  const content = str(rec.content);
  const ev = makeEvent(ctx, {
    kind: 'system',
    role: 'system',
    // A local command and its output (since 2.1.1xx) come tagged as they would in a user record.
    text: content === undefined ? systemFallbackText(subtype, rec) : subtype === 'local_command' ? plainSystemText(content) : content,
    maxChars: MAX_TEXT_CHARS,
    ...(content !== undefined ? { tokenText: content } : {}),
  });
  const skip = new Set([...COMMON_FIELDS, ...COMPACT_METADATA, 'error']);
  Object.assign(ev.meta, scalarFields(rec, skip));
  for (const key of COMPACT_METADATA) if (isObject(rec[key])) ev.meta[key] = rec[key];
  const error = apiErrorMessage(rec.error);
  if (error !== undefined) ev.meta.error = error;
  if (subtype === 'api_error') ev.isError = true;
  return ev;
}

/** Lines such as `turn_duration` carry no content: give them a few words for the timeline. */
function systemFallbackText(subtype: string, rec: Json): string {
  const ms = num(rec.durationMs);
  if (subtype === 'turn_duration' && ms !== undefined) return `turn took ${(ms / 1000).toFixed(1)} s`;
  if (subtype === 'api_error') {
    const message = apiErrorMessage(rec.error);
    return message ? `API error: ${message}` : 'API error';
  }
  return subtype;
}

/** The message of an API error, which arrives as a string or nested one or two objects deep. */
function apiErrorMessage(error: unknown): string | undefined {
  if (typeof error === 'string') return error.slice(0, 500);
  if (!isObject(error)) return undefined;
  const inner = isObject(error.error) ? error.error : undefined;
  const message = str(error.message) ?? str(inner?.message) ?? (inner && isObject(inner.error) ? str(inner.error.message) : undefined);
  return (message ?? JSON.stringify(error)).slice(0, 500);
}

export interface MetaRecordResult {
  event: ParsedEvent;
  facts: SessionFacts;
}

/** Per record type: the short text shown for it, and what it tells about the session. */
interface MetaHandler {
  text(rec: Json): string;
  apply?(ev: ParsedEvent, rec: Json, facts: SessionFacts): void;
}

const HANDLERS: Record<string, MetaHandler> = {
  summary: {
    text: (r) => str(r.summary) ?? '',
    apply: (_ev, r, facts) => {
      const s = nonEmpty(r.summary);
      if (s !== undefined) facts.fallbackTitle = s;
    },
  },
  'ai-title': {
    text: (r) => str(r.aiTitle) ?? '',
    apply: (_ev, r, facts) => {
      const t = nonEmpty(r.aiTitle);
      if (t !== undefined) facts.title = t;
    },
  },
  'custom-title': {
    text: (r) => str(r.customTitle) ?? '',
    apply: (ev, r, facts) => {
      const t = nonEmpty(r.customTitle);
      // A title the user chose outranks a generated one, even one that comes later in the file.
      if (t !== undefined) facts.customTitle = t;
      ev.meta.customTitle = true;
    },
  },
  'agent-name': { text: (r) => str(r.agentName) ?? '' },
  'last-prompt': { text: (r) => str(r.lastPrompt) ?? '' },
  mode: { text: (r) => `mode: ${str(r.mode) ?? ''}` },
  'permission-mode': { text: (r) => `permission mode: ${str(r.permissionMode) ?? ''}` },
  'pr-link': {
    text: (r) => str(r.prUrl) ?? (num(r.prNumber) !== undefined ? `PR #${num(r.prNumber)}` : 'PR link'),
  },
  'worktree-state': {
    text: (r) => {
      const wt = isObject(r.worktreeSession) ? r.worktreeSession : {};
      return `worktree: ${str(wt.worktreePath) ?? str(wt.worktreeName) ?? ''}`;
    },
    apply: (ev, r) => {
      if (isObject(r.worktreeSession)) ev.meta.worktree = scalarFields(r.worktreeSession);
    },
  },
  'file-history-snapshot': {
    text: (r) => `file history snapshot: ${snapshotPaths(r).length} files`,
    apply: (ev, r) => {
      addPaths(ev, snapshotPaths(r));
      // The snapshot's time is inside it; the record itself usually has none.
      const snap = isObject(r.snapshot) ? r.snapshot : undefined;
      if (ev.ts === '' && snap) ev.ts = str(snap.timestamp) ?? '';
    },
  },
  'file-history-delta': {
    text: (r) => `file history: ${str(r.trackingPath) ?? ''}`,
    apply: (ev, r) => {
      const p = nonEmpty(r.trackingPath);
      if (p !== undefined) addPaths(ev, [p]);
    },
  },
  'queue-operation': {
    text: (r) => str(r.content) ?? `queue ${str(r.operation) ?? ''}`,
  },
  attachment: {
    text: (r) => `attachment: ${attachmentType(r) ?? ''}`,
    apply: (ev, r) => {
      const t = attachmentType(r);
      if (t !== undefined) ev.meta.attachmentType = t;
    },
  },
  progress: {
    text: (r) => `progress: ${progressData(r).type ?? ''}`,
    apply: (ev, r) => {
      const data = progressData(r);
      if (data.type !== undefined) ev.meta.dataType = data.type;
      const agentId = str(data.agentId);
      if (agentId !== undefined) ev.meta.agentId = agentId;
      const toolUseID = str(r.toolUseID);
      if (toolUseID !== undefined) ev.meta.toolUseID = toolUseID;
      const parentToolUseID = str(r.parentToolUseID);
      if (parentToolUseID !== undefined) ev.meta.parentToolUseID = parentToolUseID;
    },
  },
};

function snapshotPaths(r: Json): string[] {
  const snap = isObject(r.snapshot) ? r.snapshot : undefined;
  return snap && isObject(snap.trackedFileBackups) ? Object.keys(snap.trackedFileBackups) : [];
}

function attachmentType(r: Json): string | undefined {
  return isObject(r.attachment) ? str(r.attachment.type) : undefined;
}

function progressData(r: Json): { type?: string; agentId?: unknown } {
  if (!isObject(r.data)) return {};
  const type = str(r.data.type);
  return type === undefined ? { agentId: r.data.agentId } : { type, agentId: r.data.agentId };
}

/** Every record type that is neither conversation nor `system`, known or not. */
export function parseMetaRecord(ctx: LineContext): MetaRecordResult {
  const facts: SessionFacts = {};
  // Own keys only: a record typed `constructor` is unknown, not Object's.
  const handler = Object.hasOwn(HANDLERS, ctx.type) ? HANDLERS[ctx.type] : undefined;
  const ev = makeEvent(ctx, {
    kind: 'meta',
    role: 'system',
    text: handler ? handler.text(ctx.rec) : ctx.type || 'record without type',
    maxChars: MAX_TEXT_CHARS,
  });
  const own = { ...ev.meta };
  Object.assign(ev.meta, scalarFields(ctx.rec, COMMON_FIELDS), own);
  if (handler) handler.apply?.(ev, ctx.rec, facts);
  else ev.meta.unknownType = true;
  return { event: ev, facts };
}
