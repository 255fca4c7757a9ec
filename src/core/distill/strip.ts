// R0 and R1 renderings of one turn (DESIGN §4).
//   R0 verbatim: the events as written, tool outputs in full (read back from the transcript).
//   R1 stripped: tool output replaced by a loss-annotated placeholder; thinking dropped; a file
//      read that a later read or edit supersedes becomes a pointer to it; one error repeated N
//      times is shown once with (×N); code reads of the task's focus files are kept folded.
import type { StoredEvent } from '../model';
import { type Block, code, codeBlock, em, paragraph, raw, strong, text } from '../markdown';
import { verbatimText } from '../source';
import { cutMiddle } from '../text';
import { mainArg, shortPath, type SessionAnalysis } from './analysis';
import { cutWords } from './extract';

export type Sharp = 0 | 1;

export interface RenderContext {
  analysis: SessionAnalysis;
  /**
   * For a kept code read: the folded source to show instead of a placeholder, or null. The task
   * state decides which reads are kept (focus files) and which bodies stay (focus symbols).
   */
  foldRead?: (result: StoredEvent, source: string) => string | null;
  /**
   * R0 at its full length: prose, tool output, a call's first line and compaction summaries uncut.
   * The dense read of a progressive read reads the session whole; every other R0 keeps the caps.
   */
  whole?: boolean;
}

/** Long prose is cut in its middle even at R0/R1: a pasted log in a prompt is still a log. */
const MAX_PROSE_CHARS = 6_000;
const MAX_VERBATIM_OUTPUT_CHARS = 20_000;
const ERROR_EXCERPT_LINES = 6;

export const anchor = (id: number): string => `↗ e${id}`;

export function renderTurnSharp(events: readonly StoredEvent[], level: Sharp, ctx: RenderContext): Block[] {
  const blocks: Block[] = [];
  for (const ev of events) {
    const block = level === 0 ? renderVerbatim(ev, ctx) : renderStripped(ev, ctx);
    if (block) blocks.push(block);
  }
  return blocks;
}

function renderVerbatim(ev: StoredEvent, ctx: RenderContext): Block | null {
  const cwd = ctx.analysis.cwd;
  const whole = ctx.whole === true;
  const prose = whole ? Number.POSITIVE_INFINITY : MAX_PROSE_CHARS;
  const output = whole ? Number.POSITIVE_INFINITY : MAX_VERBATIM_OUTPUT_CHARS;
  switch (ev.kind) {
    case 'user_prompt':
      return paragraph(strong(raw('User:')), raw(' '), text(cutMiddle(verbatimText(ev), prose)), raw(` ${anchor(ev.id)}`));
    case 'assistant_text':
      return paragraph(strong(raw('Assistant:')), raw(' '), text(cutMiddle(verbatimText(ev), prose)));
    case 'thinking':
      return paragraph(em(raw('Thinking:')), raw(' '), text(cutMiddle(verbatimText(ev), prose)));
    case 'tool_call':
      return renderCall(ev, cutMiddle(verbatimText(ev), output), Number.POSITIVE_INFINITY, whole ? Number.POSITIVE_INFINITY : 200);
    case 'tool_result': {
      const call = ctx.analysis.callOf.get(ev.id);
      const head = `${ev.toolName ?? 'tool'} ${mainArg(call, cwd)}`.trim();
      const body = cutMiddle(verbatimText(ev), output);
      return codeBlockWithTitle(`${head}${ev.isError ? ' (error)' : ''} ${anchor(ev.id)}`, body);
    }
    case 'system':
    case 'compact_summary':
    case 'meta':
      return renderSystem(ev, whole);
  }
}

function renderStripped(ev: StoredEvent, ctx: RenderContext): Block | null {
  switch (ev.kind) {
    case 'user_prompt':
      return paragraph(strong(raw('User:')), raw(' '), text(cutMiddle(ev.text, MAX_PROSE_CHARS)), raw(` ${anchor(ev.id)}`));
    case 'assistant_text':
      return paragraph(strong(raw('Assistant:')), raw(' '), text(cutMiddle(ev.text, MAX_PROSE_CHARS)));
    case 'thinking':
      return null;
    case 'tool_call':
      return renderCall(ev, ev.text, R1_EDIT_LINES, 160);
    case 'tool_result':
      return renderStrippedResult(ev, ctx);
    case 'system':
    case 'compact_summary':
    case 'meta':
      return renderSystem(ev, false);
  }
  return null;
}

function renderStrippedResult(ev: StoredEvent, ctx: RenderContext): Block {
  const { analysis } = ctx;
  const cwd = analysis.cwd;
  const call = analysis.callOf.get(ev.id);
  const newer = analysis.supersededBy.get(ev.id);
  if (newer !== undefined) {
    return paragraph(raw(`[superseded — ${ev.toolName ?? 'Read'} ${mainArg(call, cwd)}: a newer read or edit is ${anchor(newer)}]`));
  }
  const signature = analysis.errorOf.get(ev.id);
  if (signature !== undefined) return renderError(ev, signature, ctx);
  if (ctx.foldRead && (ev.toolName === 'Read' || ev.toolName === 'NotebookRead')) {
    const folded = ctx.foldRead(ev, verbatimText(ev));
    if (folded !== null) return codeBlockWithTitle(`${ev.toolName} ${mainArg(call, cwd)} (folded) ${anchor(ev.id)}`, folded);
  }
  return paragraph(raw(placeholder(ev, call, cwd)));
}

/** `[output omitted — Read src/db.ts: 142 lines, errors: no — recall e512]` */
export function placeholder(ev: StoredEvent, call: StoredEvent | undefined, cwd: string): string {
  const arg = mainArg(call, cwd);
  const lines = typeof ev.meta.lines === 'number' ? ev.meta.lines : ev.text.split('\n').length;
  const argPaths = new Set((call?.paths ?? []).map((p) => shortPath(p, cwd)));
  const extra = ev.paths.map((p) => shortPath(p, cwd)).filter((p) => !argPaths.has(p) && p !== arg);
  const paths = extra.length > 0 ? `, paths: ${extra.slice(0, 4).join(', ')}${extra.length > 4 ? ', …' : ''}` : '';
  return `[output omitted — ${ev.toolName ?? 'tool'}${arg ? ' ' + arg : ''}: ${lines} line${lines === 1 ? '' : 's'}, errors: ${ev.isError ? 'yes' : 'no'}${paths} — recall e${ev.id}]`;
}

/**
 * An error keeps its signature and last lines. Repeats of one error show once, at the latest
 * occurrence (the one that matters now), with the count; earlier copies point to it.
 */
function renderError(ev: StoredEvent, signature: string, ctx: RenderContext): Block {
  const { analysis } = ctx;
  const call = analysis.callOf.get(ev.id);
  const group = analysis.errorGroupOf.get(ev.id) ?? [ev.id];
  const latest = group[group.length - 1]!;
  const head = `${ev.toolName ?? 'tool'} ${mainArg(call, analysis.cwd)}`.trim();
  if (latest !== ev.id) {
    return paragraph(raw(`[error — ${head}: same as ${anchor(latest)}: `), code(signature), raw(']'));
  }
  const lines = ev.text.split('\n').filter((l) => l.trim() !== '');
  const tail = lines.slice(-ERROR_EXCERPT_LINES);
  const excerpt = tail.includes(signature) || lines.length <= ERROR_EXCERPT_LINES ? tail : [signature, '…', ...tail];
  const times = group.length > 1 ? ` (×${group.length})` : '';
  return codeBlockWithTitle(`error — ${head}${times} ${anchor(ev.id)}`, excerpt.join('\n'));
}

function renderSystem(ev: StoredEvent, whole: boolean): Block | null {
  if (ev.kind === 'compact_summary') {
    const summary = whole ? verbatimText(ev) : cutWords(ev.text.replace(/\s+/g, ' '), 600);
    return paragraph(em(raw('Agent compaction summary:')), raw(' '), text(summary), raw(` ${anchor(ev.id)}`));
  }
  if (ev.kind !== 'system') return null;
  const subtype = String(ev.meta.subtype ?? '');
  if (subtype === 'compact_boundary' || subtype === 'microcompact_boundary') {
    const meta = (ev.meta.compactMetadata ?? ev.meta.microcompactMetadata ?? {}) as { trigger?: string; preTokens?: number };
    const pre = typeof meta.preTokens === 'number' ? `, ${meta.preTokens.toLocaleString('en-US')} tokens before` : '';
    return paragraph(raw(`— the agent compacted its context here (${meta.trigger ?? 'auto'}${pre}) ${anchor(ev.id)} —`));
  }
  if (ev.isError) return paragraph(raw('[system error] '), text(whole ? verbatimText(ev) : cutWords(ev.text, 300)));
  return null;
}

/** Lines of an edit's text kept at R1: enough for the values it sets, the rest folded with a count. */
const R1_EDIT_LINES = 12;

/**
 * A call: its one-line rendering, and under it what an edit wrote (see toolCallBody), the first
 * `maxLines` lines of it with the rest folded (`… 40 more lines — recall e12`).
 */
function renderCall(ev: StoredEvent, full: string, maxLines: number, headChars: number): Block {
  const newline = full.indexOf('\n');
  const head = cutWords(newline < 0 ? full : full.slice(0, newline), headChars);
  if (newline < 0) return paragraph(raw('→ '), code(head));
  let lines = full.slice(newline + 1).split('\n');
  let replaced = '';
  if (Number.isFinite(maxLines) && (ev.toolName === 'Edit' || ev.toolName === 'MultiEdit')) {
    // Folded, an edit keeps what it set; what it replaced is a count (and a recall away).
    const removed = lines.filter((l) => l.startsWith('- ') || l === '-').length;
    lines = lines.filter((l) => !(l.startsWith('- ') || l === '-'));
    if (removed > 0) replaced = ` (replaces ${removed} line${removed === 1 ? '' : 's'})`;
  }
  const kept = lines.slice(0, maxLines);
  const folded = lines.length - kept.length;
  // The stored text of a long edit is cut in its middle: the count is of what is known here.
  const more = folded > 0 ? `\n… ${folded} more line${folded === 1 ? '' : 's'} — recall e${ev.id}` : '';
  return codeBlockWithTitle(`→ ${head}${replaced} ${anchor(ev.id)}`, kept.join('\n') + more);
}

function codeBlockWithTitle(title: string, body: string): Block {
  // A title line inside the fence keeps the block self-describing without a markdown heading.
  return codeBlock(`# ${title}\n${body}`);
}
