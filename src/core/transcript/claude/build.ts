// Building blocks shared by the Claude Code record parsers: narrowing of untyped JSON, and the
// one place where an event gets its identity, source reference and bounded text.
import type { EventKind, ParsedEvent, Role } from '../../model';
import type { RawLine } from '../jsonl';
import { cutMiddle } from '../../text';
import { countTextTokens } from '../../tokens/count';

export type Json = Record<string, unknown>;

/**
 * Stored-text limits: tool output is long and repetitive, prose is what search and distillation
 * read. A tool output keeps its head (what it is) and tail (how it ended: the error, the summary);
 * the rest is read back from the transcript through `sourceRef`. The limit is what keeps the
 * database under half the size of the transcripts (see `npm run bench`).
 */
export const MAX_TOOL_RESULT_CHARS = 1_200;
export const MAX_TOOL_CALL_CHARS = 2_000;
export const MAX_TEXT_CHARS = 32_000;
/** Strings longer than this are not copied into `meta`: it holds small facts, never content. */
export const MAX_META_STRING = 200;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A string worth keeping: an empty id or branch says nothing, and must not override a real one. */
export function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The record being parsed, and what every event made from it shares. */
export interface LineContext {
  file: string;
  raw: RawLine;
  rec: Json;
  /** The record's `type`, '' when it has none. */
  type: string;
}

/**
 * Copies the small facts of an object: numbers, booleans and short strings as they are, the length
 * of long strings and the size of arrays (so that `hookErrors: [...]` still says how many there
 * were). Nested objects are left out: they are where the duplicated content lives.
 */
export function scalarFields(o: Json, skip: ReadonlySet<string> = NO_SKIP): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) {
    if (skip.has(k)) continue;
    if (typeof v === 'number' || typeof v === 'boolean' || v === null) out[k] = v;
    else if (typeof v === 'string') {
      if (v.length <= MAX_META_STRING) out[k] = v;
      else out[`${k}Length`] = v.length;
    } else if (Array.isArray(v)) out[`${k}Count`] = v.length;
  }
  return out;
}

const NO_SKIP: ReadonlySet<string> = new Set();

/**
 * Fields every Claude Code line may carry; they become event fields or session facts, so copying
 * them into `meta` as well would only repeat them on every event.
 */
export const COMMON_FIELDS: ReadonlySet<string> = new Set([
  'type',
  'subtype',
  'uuid',
  'parentUuid',
  'logicalParentUuid',
  'isSidechain',
  'userType',
  'cwd',
  'sessionId',
  'version',
  'gitBranch',
  'timestamp',
  'agentId',
  'entrypoint',
  'slug',
  'message',
  'content',
  'requestId',
  'promptId',
  'teamName',
]);

export interface EventInit {
  kind: EventKind;
  role: Role;
  /** The full text; it is cut for storage, its length and tokens are measured whole. */
  text: string;
  maxChars: number;
  /** What to count tokens on when it differs from the text (a tool call's rendering vs its input). */
  tokenText?: string;
}

/** Makes an event with the line's identity, DAG links and source reference filled in. */
export function makeEvent(ctx: LineContext, init: EventInit): ParsedEvent {
  const { rec, raw } = ctx;
  const counted = countTextTokens(init.tokenText ?? init.text);
  const meta: Json = { recordType: ctx.type };
  const subtype = str(rec.subtype);
  if (subtype !== undefined) meta.subtype = subtype;
  if (counted.estimated) meta.tokensEstimated = true;
  if (raw.invalidUtf8) meta.invalidUtf8 = true;

  const ev: ParsedEvent = {
    kind: init.kind,
    role: init.role,
    ts: str(rec.timestamp) ?? '',
    text: cutMiddle(init.text, init.maxChars),
    textLength: init.text.length,
    tokens: counted.tokens,
    isError: false,
    paths: [],
    sidechain: rec.isSidechain === true,
    meta,
    sourceRef: { file: ctx.file, offset: raw.offset, length: raw.length, line: raw.line },
  };
  const uuid = nonEmpty(rec.uuid);
  if (uuid !== undefined) ev.uuid = uuid;
  const parentUuid = nonEmpty(rec.parentUuid);
  if (parentUuid !== undefined) ev.parentUuid = parentUuid;
  const logicalParentUuid = nonEmpty(rec.logicalParentUuid);
  if (logicalParentUuid !== undefined) ev.logicalParentUuid = logicalParentUuid;
  const agentId = nonEmpty(rec.agentId);
  if (agentId !== undefined) ev.agentId = agentId;
  const sessionId = nonEmpty(rec.sessionId);
  if (sessionId !== undefined) ev.sessionId = sessionId;
  return ev;
}

/** Adds paths without duplicates, keeping first-seen order. */
export function addPaths(ev: ParsedEvent, paths: readonly string[]): void {
  for (const p of paths) if (p !== '' && !ev.paths.includes(p)) ev.paths.push(p);
}
