// What the tooltip and the detail pane say about what is under the pointer, at the resolution
// shown: the outline, a period, a turn's digest, one event (its text fetched on demand), or a bin
// of events merged because they share a pixel column. Plain strings: the view sets them as text.
import { EVENT_FLAGS, TIMELINE_LANES, type EventDetail, type TimelineBand, type TimelineData, type TimelineTurn } from '../../src/protocol';
import { formatTokens } from '../lib/model';
import { LANE_LABELS, type Resolution } from '../lib/timeline';
import type { MarkBin } from '../lib/timeline-bins';

export interface Description {
  title: string;
  lines: string[];
  /** An omitted tool output: the tooltip is marked as such. */
  omitted: boolean;
}

const turnsText = (from: number, to: number) => (from === to ? `turn ${from}` : `turns ${from}–${to}`);

/** A lane's events over some turns: how many, and their tokens (the count behind an aggregated mark or bar). */
export function describeBin(b: { lane: number; count: number; tokens: number; fromTurn: number; toTurn: number }): string {
  return `${LANE_LABELS[TIMELINE_LANES[b.lane]!]} · ${turnsText(b.fromTurn, b.toTurn)} · ${b.count.toLocaleString('en-US')} event${b.count === 1 ? '' : 's'} · ${formatTokens(b.tokens)} tokens`;
}

export function describeOutline(data: TimelineData): Description {
  return { title: `R4 outline · ${data.title}`, lines: [data.outline], omitted: false };
}

export function describeBand(band: TimelineBand): Description {
  return { title: `R3 · turns ${band.fromTurn}–${band.toTurn}`, lines: [band.summary], omitted: false };
}

export function describeTurn(t: TimelineTurn): Description {
  return { title: `R2 · turn ${t.index} · ${formatTokens(t.tokens)} tokens${t.archived ? ' · archived into R3' : ''}`, lines: [t.digest], omitted: false };
}

/** Several events of one lane drawn as one mark: zoom in to tell them apart. */
export function describeAggregate(m: MarkBin): Description {
  return { title: `${m.count} events in one mark`, lines: [describeBin(m), 'Zoom in to see them one by one.'], omitted: false };
}

/**
 * One event at R1 or R0. Its lean entry gives the head; its text is the fetched `detail` (undefined
 * while on its way, null when the host has no such event).
 */
export function describeEvent(data: TimelineData, index: number, level: Resolution, detail: EventDetail | null | undefined): Description {
  const e = data.events;
  const lane = LANE_LABELS[TIMELINE_LANES[e.lane[index]!]!];
  const head = `e${e.id[index]} · ${lane} · turn ${e.turn[index]} · ${formatTokens(e.tokens[index]!)} tokens`;
  if (detail === undefined) return { title: `R${level} · ${head}`, lines: [e.label[index]!, 'Loading…'], omitted: false };
  if (detail === null) return { title: `R${level} · ${head}`, lines: [e.label[index]!, '(no longer in the session)'], omitted: false };
  const o = detail.omitted;
  if (o && level === 1 && e.flags[index]! & EVENT_FLAGS.omitted) {
    return {
      title: `Omitted output · ${o.toolName}`,
      lines: [
        o.placeholder,
        `${o.lines} line${o.lines === 1 ? '' : 's'} · errors: ${o.isError ? 'yes' : 'no'} · recall ${o.handle}`,
        '── first lines ──',
        ...o.firstLines,
        ...(o.lastLines.length ? ['── last lines ──', ...o.lastLines] : []),
        `Recall full output: ${o.handle}`,
      ],
      omitted: true,
    };
  }
  const kind = `${detail.kind}${detail.toolName ? ` · ${detail.toolName}` : ''}`;
  return { title: `R${level} · ${head} · ${kind}`, lines: [level === 0 ? detail.r0 : detail.r1 || '(dropped at R1)'], omitted: false };
}
