// Claude Code JSONL, one line at a time (FORMATS.md §a).
//
// Stateless by design: an incremental ingest hands over only the lines appended since the last
// run. Whatever spans lines (usage dedupe on message.id + requestId, tool_use ↔ tool_result
// pairing, forks, turns) is left to the store, which works from the ids filled in here.
import type { EventKind, LineIssue, ParsedEvent, SessionFacts, Usage } from '../../model';
import type { RawLine } from '../jsonl';
import {
  type Json,
  type LineContext,
  MAX_META_STRING,
  MAX_TEXT_CHARS,
  MAX_TOOL_CALL_CHARS,
  MAX_TOOL_RESULT_CHARS,
  addPaths,
  isObject,
  makeEvent,
  nonEmpty,
  num,
  str,
} from './build';
import { countLines } from '../../text';
import { injectedTag, splitUserText } from './injected';
import { parseMetaRecord, parseSystem } from './records';
import { serverToolResultText, summarizeToolUseResult, toolCallPaths, toolCallText, toolResultText } from './tools';

export interface ClaudeLineResult {
  events: ParsedEvent[];
  facts: SessionFacts;
  issue?: LineIssue;
}

/** A tool input larger than this is summarised by its keys: the call's text already says what it did. */
const MAX_INPUT_JSON = 1_000;
const ORDINARY_STOPS = new Set(['end_turn', 'tool_use', 'stop_sequence']);

export function parseClaudeLine(line: RawLine, file: string): ClaudeLineResult {
  let rec: unknown;
  try {
    rec = JSON.parse(line.text);
  } catch (err) {
    return failure(file, line, `invalid JSON: ${errorMessage(err)}`);
  }
  if (!isObject(rec)) return failure(file, line, `not a JSON object: ${Array.isArray(rec) ? 'array' : typeof rec}`);
  try {
    return parseRecord({ file, raw: line, rec, type: str(rec.type) ?? '' });
  } catch (err) {
    // A shape no branch foresaw must cost one line, never the rest of the file.
    return failure(file, line, `unreadable ${str(rec.type) ?? 'record'}: ${errorMessage(err)}`);
  }
}

function parseRecord(ctx: LineContext): ClaudeLineResult {
  const facts = lineFacts(ctx.rec);
  switch (ctx.type) {
    case 'user':
      return { events: parseUser(ctx), facts };
    case 'assistant':
      return { events: parseAssistant(ctx), facts };
    case 'system':
      return { events: [parseSystem(ctx)], facts };
    default: {
      const { event, facts: more } = parseMetaRecord(ctx);
      return { events: [event], facts: { ...facts, ...more } };
    }
  }
}

function lineFacts(rec: Json): SessionFacts {
  const facts: SessionFacts = {};
  const sessionId = nonEmpty(rec.sessionId);
  if (sessionId !== undefined) facts.sessionId = sessionId;
  const cwd = nonEmpty(rec.cwd);
  if (cwd !== undefined) facts.cwd = cwd;
  const gitBranch = nonEmpty(rec.gitBranch);
  if (gitBranch !== undefined) facts.gitBranch = gitBranch;
  const version = nonEmpty(rec.version);
  if (version !== undefined) facts.version = version;
  return facts;
}

// ── user ────────────────────────────────────────────────────────────────────────────────────

/** Claude Code writes this as a user text block when the user stops the agent mid-turn. */
const INTERRUPT_PREFIX = '[Request interrupted by user';

function parseUser(ctx: LineContext): ParsedEvent[] {
  const { rec } = ctx;
  const message = isObject(rec.message) ? rec.message : {};
  const content = message.content;
  const kind = rec.isCompactSummary === true ? 'compact_summary' : rec.isMeta === true ? 'meta' : 'user_prompt';
  const events: ParsedEvent[] = [];

  const pushEvent = (k: EventKind, text: string, maxChars: number, tokenText?: string): ParsedEvent => {
    const ev = makeEvent(ctx, { kind: k, role: 'user', text, maxChars, ...(tokenText !== undefined ? { tokenText } : {}) });
    if (rec.isVisibleInTranscriptOnly === true) ev.meta.visibleInTranscriptOnly = true;
    events.push(ev);
    return ev;
  };
  const pushText = (text: string): void => {
    if (kind !== 'user_prompt') {
      const ev = pushEvent(kind, text, MAX_TEXT_CHARS);
      // A caveat that precedes a local command (`/model`) is `isMeta`: the store reads its tag.
      const tag = injectedTag(text);
      if (tag !== undefined) ev.meta.injected = tag;
      return;
    }
    for (const part of splitUserText(text)) {
      if (part.type === 'injected') {
        pushEvent('system', part.text, MAX_TEXT_CHARS).meta.injected = part.tag;
        continue;
      }
      // What a person typed is never cut: it is the smallest and densest part of a session. A
      // command is stored as typed but occupies the context with its tags.
      const ev = pushEvent('user_prompt', part.text, Number.POSITIVE_INFINITY, part.type === 'command' ? text : undefined);
      if (part.type === 'command') {
        ev.meta.command = part.name;
        if (part.args !== '') ev.meta.commandArgs = part.args.length <= MAX_META_STRING ? part.args : part.args.length;
      }
      if (part.text.startsWith(INTERRUPT_PREFIX)) ev.meta.interrupted = true;
    }
  };

  if (typeof content === 'string') {
    pushText(content);
    return events;
  }
  // Text and tool results can share one line: keep their order, joining runs of text blocks.
  let pending: string[] = [];
  const flush = (): void => {
    if (pending.length > 0) pushText(pending.join('\n'));
    pending = [];
  };
  let resultAttached = false;
  for (const block of Array.isArray(content) ? content : []) {
    if (typeof block === 'string') {
      pending.push(block);
      continue;
    }
    if (!isObject(block)) continue;
    const type = str(block.type) ?? '';
    if (type === 'tool_result') {
      flush();
      // `toolUseResult` belongs to the line, which in practice holds one result: give it to the
      // first, so that edits and reads are counted once.
      events.push(toolResultEvent(ctx, block, resultAttached ? undefined : rec.toolUseResult));
      resultAttached = true;
    } else if (type === 'text') pending.push(str(block.text) ?? '');
    else pending.push(`[${type || 'block'}]`);
  }
  flush();
  if (events.length === 0) {
    const ev = makeEvent(ctx, { kind: 'meta', role: 'user', text: '', maxChars: MAX_TEXT_CHARS });
    ev.meta.empty = true;
    events.push(ev);
  }
  return events;
}

function toolResultEvent(ctx: LineContext, block: Json, toolUseResult: unknown): ParsedEvent {
  const text = toolResultText(block.content);
  const ev = makeEvent(ctx, { kind: 'tool_result', role: 'tool', text, maxChars: MAX_TOOL_RESULT_CHARS });
  // The line count of the whole output, for loss-annotated placeholders ("142 lines").
  ev.meta.lines = countLines(text);
  const toolUseId = nonEmpty(block.tool_use_id);
  if (toolUseId !== undefined) ev.toolUseId = toolUseId;
  ev.isError = block.is_error === true;
  const summary = summarizeToolUseResult(toolUseResult, text);
  if (summary) {
    ev.meta.resultShape = summary.shape;
    ev.meta.result = summary.result;
    addPaths(ev, summary.paths);
    if (summary.isError) ev.isError = true;
  }
  return ev;
}

// ── assistant ───────────────────────────────────────────────────────────────────────────────

function parseAssistant(ctx: LineContext): ParsedEvent[] {
  const { rec } = ctx;
  const message = isObject(rec.message) ? rec.message : {};
  const content = message.content;
  const blocks: unknown[] =
    typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? content : [];

  const events: ParsedEvent[] = [];
  for (const block of blocks) {
    if (isObject(block)) events.push(assistantBlockEvent(ctx, block));
  }
  if (events.length === 0) {
    // The line may still carry usage, which must reach the store.
    const ev = makeEvent(ctx, { kind: 'meta', role: 'assistant', text: '', maxChars: MAX_TEXT_CHARS });
    ev.meta.empty = true;
    events.push(ev);
  }

  const messageId = nonEmpty(message.id);
  const requestId = nonEmpty(rec.requestId);
  const model = nonEmpty(message.model);
  const stopReason = str(message.stop_reason);
  for (const ev of events) {
    if (messageId !== undefined) ev.messageId = messageId;
    if (requestId !== undefined) ev.requestId = requestId;
    if (model !== undefined) ev.model = model;
    // Only the unusual endings say something (max_tokens, refusal, pause_turn …).
    if (stopReason !== undefined && !ORDINARY_STOPS.has(stopReason)) ev.meta.stopReason = stopReason;
    if (rec.isApiErrorMessage === true) ev.isError = true;
  }
  const usage = mapUsage(message.usage);
  const first = events[0];
  if (usage && first) first.usage = usage;
  return events;
}

function assistantBlockEvent(ctx: LineContext, block: Json): ParsedEvent {
  const type = str(block.type) ?? '';
  switch (type) {
    case 'text':
      return makeEvent(ctx, { kind: 'assistant_text', role: 'assistant', text: str(block.text) ?? '', maxChars: MAX_TEXT_CHARS });
    case 'thinking':
      return makeEvent(ctx, { kind: 'thinking', role: 'assistant', text: str(block.thinking) ?? '', maxChars: MAX_TEXT_CHARS });
    case 'redacted_thinking': {
      const ev = makeEvent(ctx, { kind: 'thinking', role: 'assistant', text: '[redacted thinking]', maxChars: MAX_TEXT_CHARS });
      ev.meta.redacted = true;
      return ev;
    }
    case 'tool_use':
    case 'server_tool_use':
    case 'mcp_tool_use':
      return toolCallEvent(ctx, block);
  }
  if (type.endsWith('_tool_result')) {
    const { text, isError } = serverToolResultText(block);
    const ev = makeEvent(ctx, { kind: 'tool_result', role: 'tool', text, maxChars: MAX_TOOL_RESULT_CHARS });
    const toolUseId = nonEmpty(block.tool_use_id);
    if (toolUseId !== undefined) ev.toolUseId = toolUseId;
    ev.isError = isError;
    ev.meta.blockType = type;
    return ev;
  }
  const ev = makeEvent(ctx, { kind: 'meta', role: 'assistant', text: `[${type || 'block'}]`, maxChars: MAX_TEXT_CHARS });
  ev.meta.blockType = type;
  ev.meta.unknownBlock = true;
  return ev;
}

function toolCallEvent(ctx: LineContext, block: Json): ParsedEvent {
  const name = str(block.name) ?? '';
  const input = isObject(block.input) ? block.input : {};
  const inputJson = JSON.stringify(input);
  const ev = makeEvent(ctx, {
    kind: 'tool_call',
    role: 'assistant',
    text: toolCallText(name, input, inputJson),
    maxChars: MAX_TOOL_CALL_CHARS,
    // What occupies the context is the call as the model wrote it, not its one-line rendering.
    tokenText: `${name} ${inputJson}`,
  });
  ev.toolName = name;
  const id = nonEmpty(block.id);
  if (id !== undefined) ev.toolUseId = id;
  addPaths(ev, toolCallPaths(input));
  if (str(block.type) !== 'tool_use') ev.meta.blockType = block.type;
  if (inputJson.length <= MAX_INPUT_JSON) ev.meta.input = input;
  else ev.meta.inputKeys = Object.keys(input);
  return ev;
}

function mapUsage(u: unknown): Usage | undefined {
  if (!isObject(u)) return undefined;
  return {
    inputTokens: num(u.input_tokens) ?? 0,
    outputTokens: num(u.output_tokens) ?? 0,
    cacheCreationTokens: num(u.cache_creation_input_tokens) ?? 0,
    cacheReadTokens: num(u.cache_read_input_tokens) ?? 0,
  };
}

// ── issues ──────────────────────────────────────────────────────────────────────────────────

function failure(file: string, line: RawLine, message: string): ClaudeLineResult {
  return { events: [], facts: {}, issue: { file, line: line.line, message } };
}

/** Parser messages can quote the input: keep them to a line. */
function errorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.length > 160 ? `${message.slice(0, 160)}…` : message;
}
