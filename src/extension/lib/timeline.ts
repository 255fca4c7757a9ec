// What the visualiser's timeline is sent (protocol `TimelineData`), the text of one event on demand
// (`EventDetail`), and the text of a turn range at one resolution (the host's answer to a range
// selected on the timeline). Core only, no vscode, so node tests run it.
import type { StoredEvent } from '../../core/model';
import { render } from '../../core/markdown';
import { sessionStats } from '../../core/stats';
import type { Store } from '../../core/store/store';
import { cutMiddle } from '../../core/text';
import { mainArg } from '../../core/distill/analysis';
import { renderDigest } from '../../core/distill/digest';
import { commandFailed } from '../../core/distill/extract';
import { placeholder, renderTurnSharp } from '../../core/distill/strip';
import { distillSession } from '../../core/distill/units';
import { EVENT_FLAGS, TIMELINE_LANES, type EventDetail, type TimelineCompaction, type TimelineData, type TimelineEvents, type TimelineLane } from '../../protocol';

/**
 * The panel gets at most this many events (the most recent). Four times the 50,000 the webview
 * benchmark holds to its targets (test/bench/webview.ts); past it the message would pass 10 MB and
 * the first paint several seconds, so the oldest events are left out, and the view says so.
 */
export const MAX_TIMELINE_EVENTS = 200_000;
const LABEL_CHARS = 48;
const R0_PREVIEW_CHARS = 2_000;
const R1_PREVIEW_CHARS = 600;
const EDGE_LINES = 3;
const EDGE_LINE_CHARS = 200;

export function laneOf(ev: StoredEvent): TimelineLane {
  if (ev.kind === 'compact_summary') return 'compaction';
  if (ev.kind === 'system' && /^(micro)?compact_boundary$/.test(String(ev.meta.subtype ?? ''))) return 'compaction';
  if (ev.sidechain) return 'subagent';
  if (ev.isError) return 'error';
  switch (ev.kind) {
    case 'user_prompt':
      return 'prompt';
    case 'assistant_text':
      return 'assistant';
    case 'thinking':
      return 'thinking';
    case 'tool_call':
    case 'tool_result':
      return 'tool';
    default:
      return 'system';
  }
}

/**
 * A tool output R1 replaces by its placeholder. Errors of the main line keep their text (R1 shows
 * their signature and last lines): the same rule as `analyzeSession`'s errorOf, from the event alone,
 * so the timeline's flag and the detail fetched later agree.
 */
function omittedAtR1(ev: StoredEvent): boolean {
  return ev.kind === 'tool_result' && !(ev.mainLine && !ev.sidechain && (ev.isError || commandFailed(ev)));
}

/** A tool event's label is its tool and main argument (a result's from its call); others show their first words. */
function labelOf(ev: StoredEvent, call: StoredEvent | undefined, cwd: string): string {
  const text =
    ev.kind === 'tool_call' || ev.kind === 'tool_result'
      ? `${ev.toolName ?? 'tool'} ${mainArg(ev.kind === 'tool_call' ? ev : call, cwd)}`.trim()
      : ev.text.replace(/\s+/g, ' ').trim();
  return text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text;
}

function edgeLines(text: string): { firstLines: string[]; lastLines: string[] } {
  const lines = text.split('\n');
  const cut = (l: string) => (l.length > EDGE_LINE_CHARS ? `${l.slice(0, EDGE_LINE_CHARS)}…` : l);
  if (lines.length <= EDGE_LINES * 2) return { firstLines: lines.map(cut), lastLines: [] };
  return { firstLines: lines.slice(0, EDGE_LINES).map(cut), lastLines: lines.slice(-EDGE_LINES).map(cut) };
}

/**
 * The session's timeline: R4 outline, R3 bands, R2 digests per turn, the events lean (no text
 * beyond a label: `eventDetail` sends that on demand), the context fill and the agent's compactions.
 */
export function buildTimeline(store: Store, sessionId: string, contextWindow: number): TimelineData {
  const d = distillSession(store, sessionId);
  const cwd = d.analysis.cwd;
  const turnTokens = new Map<number, number>();
  for (const ev of d.events) turnTokens.set(ev.turn, (turnTokens.get(ev.turn) ?? 0) + ev.tokens);
  const kept = d.events.length > MAX_TIMELINE_EVENTS ? d.events.slice(-MAX_TIMELINE_EVENTS) : d.events;
  const byId = new Map(kept.map((ev) => [ev.id, ev]));
  const events: TimelineEvents = { id: [], turn: [], lane: [], tokens: [], flags: [], label: [] };
  const indexOf = new Map<number, number>();
  for (const ev of kept) {
    indexOf.set(ev.id, events.id.length);
    events.id.push(ev.id);
    events.turn.push(Math.max(0, ev.turn));
    events.lane.push(TIMELINE_LANES.indexOf(laneOf(ev)));
    events.tokens.push(ev.tokens);
    events.flags.push((ev.isError ? EVENT_FLAGS.error : 0) | (omittedAtR1(ev) ? EVENT_FLAGS.omitted : 0));
    events.label.push(labelOf(ev, ev.parentId !== null ? byId.get(ev.parentId) : undefined, cwd));
  }
  // The fill curve: the API's numbers where the transcript has them, else Loupe's running count.
  const stats = sessionStats(store, d.session.id);
  const estimated = stats.contextReal.length === 0;
  const contextFill = { estimated, eventIndex: [] as number[], tokens: [] as number[] };
  for (const p of estimated ? stats.contextEstimated : stats.contextReal) {
    const i = indexOf.get(p.eventId);
    if (i === undefined) continue;
    contextFill.eventIndex.push(i);
    contextFill.tokens.push(p.tokens);
  }
  const compactions: TimelineCompaction[] = [];
  for (const c of stats.compactions) {
    const i = indexOf.get(c.eventId);
    if (i !== undefined) compactions.push({ eventIndex: i, preTokens: c.preTokens });
  }
  return {
    sessionId: d.session.id,
    title: d.session.title || d.session.id,
    outline: d.outlineMarkdown,
    bands: d.context.timeline.map((p) => ({ fromTurn: p.from, toTurn: p.to, summary: p.summary })),
    turns: d.turns.map((t) => ({
      index: t,
      tokens: turnTokens.get(t) ?? 0,
      digest: render(renderDigest(d.digests.get(t)!)),
      archived: d.archived.has(t),
    })),
    events,
    eventsOmitted: d.events.length - kept.length,
    contextFill,
    contextWindow,
    compactions,
  };
}

/** One event of a session at R1 and R0, with its placeholder's metadata when R1 omits it; null when the session has no such event. */
export function eventDetail(store: Store, sessionId: string, eventId: number): EventDetail | null {
  const session = store.resolveSession(sessionId);
  const ev = store.event(eventId);
  if (!ev || ev.sessionId !== session.id) return null;
  const detail: EventDetail = {
    id: ev.id,
    turn: Math.max(0, ev.turn),
    kind: ev.kind,
    toolName: ev.toolName,
    tokens: ev.tokens,
    isError: ev.isError,
    r1: ev.kind === 'thinking' ? '' : cutMiddle(ev.text, R1_PREVIEW_CHARS),
    r0: cutMiddle(ev.text, R0_PREVIEW_CHARS),
  };
  if (omittedAtR1(ev)) {
    const call = ev.parentId !== null ? store.event(ev.parentId) : undefined;
    const text = placeholder(ev, call, session.cwd);
    detail.r1 = text;
    detail.omitted = {
      placeholder: text,
      toolName: `${ev.toolName ?? 'tool'} ${mainArg(call, session.cwd)}`.trim(),
      lines: typeof ev.meta.lines === 'number' ? ev.meta.lines : ev.text.split('\n').length,
      isError: ev.isError,
      ...edgeLines(ev.text),
      handle: `e${ev.id}`,
    };
  }
  return detail;
}

const LEVEL_NAMES = ['R0 verbatim', 'R1 stripped', 'R2 turn digests'] as const;

/** Turns `from`..`to` of a session as markdown at R2 (digests), R1 (stripped) or R0 (verbatim). */
export function renderTurnRange(store: Store, sessionId: string, from: number, to: number, level: 0 | 1 | 2): string {
  const d = distillSession(store, sessionId);
  const turns = d.turns.filter((t) => t >= from && t <= to);
  const parts = [`# ${d.session.title || d.session.id} — turns ${from}–${to} at ${LEVEL_NAMES[level]}`, ''];
  if (turns.length === 0) parts.push('_No turns in this range._');
  for (const t of turns) {
    parts.push(`## Turn ${t}`, '');
    if (level === 2) parts.push(render(renderDigest(d.digests.get(t)!)));
    else parts.push(render(renderTurnSharp(d.analysis.turns.get(t) ?? [], level, { analysis: d.analysis })));
    parts.push('');
  }
  return parts.join('\n');
}
