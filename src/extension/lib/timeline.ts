// What the visualiser's timeline is sent (protocol `TimelineData`), and the text of a turn range at
// one resolution (the host's answer to a range selected on the timeline). Core only, no vscode, so
// node tests run it.
import type { StoredEvent } from '../../core/model';
import { render } from '../../core/markdown';
import type { Store } from '../../core/store/store';
import { cutMiddle } from '../../core/text';
import { mainArg } from '../../core/distill/analysis';
import { renderDigest } from '../../core/distill/digest';
import { placeholder, renderTurnSharp } from '../../core/distill/strip';
import { distillSession } from '../../core/distill/units';
import type { OmittedOutput, TimelineData, TimelineEvent, TimelineLane } from '../../protocol';

/** The panel gets at most this many events (the most recent); the 50k-event view is later work. */
export const MAX_TIMELINE_EVENTS = 20_000;
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

function edgeLines(text: string): { firstLines: string[]; lastLines: string[] } {
  const lines = text.split('\n');
  const cut = (l: string) => (l.length > EDGE_LINE_CHARS ? `${l.slice(0, EDGE_LINE_CHARS)}…` : l);
  if (lines.length <= EDGE_LINES * 2) return { firstLines: lines.map(cut), lastLines: [] };
  return { firstLines: lines.slice(0, EDGE_LINES).map(cut), lastLines: lines.slice(-EDGE_LINES).map(cut) };
}

/** The session's timeline: R4 outline, R3 bands, R2 digests per turn, R1/R0 previews per event. */
export function buildTimeline(store: Store, sessionId: string): TimelineData {
  const d = distillSession(store, sessionId);
  const { analysis } = d;
  const cwd = analysis.cwd;
  const turnTokens = new Map<number, number>();
  for (const ev of d.events) turnTokens.set(ev.turn, (turnTokens.get(ev.turn) ?? 0) + ev.tokens);
  const kept = d.events.length > MAX_TIMELINE_EVENTS ? d.events.slice(-MAX_TIMELINE_EVENTS) : d.events;
  const events: TimelineEvent[] = kept.map((ev) => {
    const out: TimelineEvent = {
      id: ev.id,
      turn: Math.max(0, ev.turn),
      lane: laneOf(ev),
      kind: ev.kind,
      toolName: ev.toolName,
      tokens: ev.tokens,
      isError: ev.isError,
      r1: ev.kind === 'thinking' ? '' : cutMiddle(ev.text, R1_PREVIEW_CHARS),
      r0: cutMiddle(ev.text, R0_PREVIEW_CHARS),
    };
    if (ev.kind === 'tool_result' && !analysis.errorOf.has(ev.id)) {
      const call = analysis.callOf.get(ev.id);
      const text = placeholder(ev, call, cwd);
      const omitted: OmittedOutput = {
        placeholder: text,
        toolName: `${ev.toolName ?? 'tool'} ${mainArg(call, cwd)}`.trim(),
        lines: typeof ev.meta.lines === 'number' ? ev.meta.lines : ev.text.split('\n').length,
        isError: ev.isError,
        ...edgeLines(ev.text),
        handle: `e${ev.id}`,
      };
      out.r1 = text;
      out.omitted = omitted;
    }
    return out;
  });
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
  };
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
