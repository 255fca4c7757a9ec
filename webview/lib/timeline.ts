// Pure view logic of the visualiser's timeline: which resolution a zoom shows, where each mark goes,
// how big it is, what is under the pointer, and which turns a dragged range covers. No DOM, no d3:
// unit-tested in node (test/unit/extension/timeline-model.test.ts).
import { TIMELINE_LANES, type TimelineEvent, type TimelineLane, type TimelineTurn } from '../../src/protocol';

export type Resolution = 0 | 1 | 2 | 3 | 4;

/** The blurry→sharp ladder as the legend shows it, blurriest first. */
export const RESOLUTIONS: readonly { level: Resolution; name: string; what: string }[] = [
  { level: 4, name: 'R4', what: 'outline' },
  { level: 3, name: 'R3', what: 'working context' },
  { level: 2, name: 'R2', what: 'turn digests' },
  { level: 1, name: 'R1', what: 'events, outputs omitted' },
  { level: 0, name: 'R0', what: 'verbatim' },
];

export const LANE_LABELS: Record<TimelineLane, string> = {
  prompt: 'Prompts',
  assistant: 'Assistant',
  thinking: 'Thinking',
  tool: 'Tools',
  error: 'Errors',
  subagent: 'Subagents',
  compaction: 'Compactions',
  system: 'System',
};

/** Below this zoom factor (1 = the whole session fits) the session shows as its outline. */
export const OUTLINE_BELOW_ZOOM = 1.5;
/** Pixels per turn at which the timeline turns sharper: R3 below the first, then R2, R1, R0. */
export const SHARPER_AT_PX = [30, 90, 300] as const;
/** Above this many marks in view, marks are drawn on a canvas instead of as SVG nodes. */
export const CANVAS_THRESHOLD = 1500;

/** The resolution a zoom shows: `k` is the zoom factor, `pxPerTurn` the width of one turn on screen. */
export function resolutionAt(k: number, pxPerTurn: number): Resolution {
  if (k < OUTLINE_BELOW_ZOOM) return 4;
  if (pxPerTurn < SHARPER_AT_PX[0]) return 3;
  if (pxPerTurn < SHARPER_AT_PX[1]) return 2;
  if (pxPerTurn < SHARPER_AT_PX[2]) return 1;
  return 0;
}

export function laneIndex(lane: TimelineLane): number {
  return TIMELINE_LANES.indexOf(lane);
}

/** The turn domain [first, last + 1): turn t spans [t, t + 1) on the x axis. */
export function turnDomain(turns: readonly TimelineTurn[], events: readonly TimelineEvent[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of turns) {
    lo = Math.min(lo, t.index);
    hi = Math.max(hi, t.index);
  }
  for (const e of events) {
    lo = Math.min(lo, e.turn);
    hi = Math.max(hi, e.turn);
  }
  return Number.isFinite(lo) ? [lo, hi + 1] : [0, 1];
}

/** Each event's x in turn units: the events of a turn spread evenly across it, in order. */
export function eventPositions(events: readonly TimelineEvent[]): Float64Array {
  const counts = new Map<number, number>();
  for (const e of events) counts.set(e.turn, (counts.get(e.turn) ?? 0) + 1);
  const seen = new Map<number, number>();
  const pos = new Float64Array(events.length);
  events.forEach((e, i) => {
    const n = counts.get(e.turn)!;
    const k = seen.get(e.turn) ?? 0;
    seen.set(e.turn, k + 1);
    pos[i] = e.turn + (k + 0.5) / n;
  });
  return pos;
}

/** A mark's radius: area proportional to tokens, between 1.5 px and `maxRadius`. */
export function markRadius(tokens: number, maxTokens: number, maxRadius: number): number {
  if (maxTokens <= 0 || tokens <= 0) return 1.5;
  return Math.max(1.5, Math.sqrt(tokens / maxTokens) * maxRadius);
}

/** One turn's tokens in one lane (the R2 view draws these as bars). */
export interface LaneCell {
  turn: number;
  lane: TimelineLane;
  tokens: number;
  count: number;
}

export function laneCells(events: readonly TimelineEvent[]): LaneCell[] {
  const cells = new Map<string, LaneCell>();
  for (const e of events) {
    const key = `${e.turn}:${e.lane}`;
    const cell = cells.get(key);
    if (cell) {
      cell.tokens += e.tokens;
      cell.count++;
    } else cells.set(key, { turn: e.turn, lane: e.lane, tokens: e.tokens, count: 1 });
  }
  return [...cells.values()];
}

/** A mark placed on screen, for hit testing (SVG and canvas alike). */
export interface PlacedMark {
  index: number;
  x: number;
  y: number;
  r: number;
}

/** The mark under the pointer: the nearest whose circle (plus `slop` px) holds the point, or -1. */
export function markAt(marks: readonly PlacedMark[], px: number, py: number, slop = 3): number {
  let best = -1;
  let bestD = Infinity;
  for (const m of marks) {
    const d = Math.hypot(m.x - px, m.y - py);
    if (d <= m.r + slop && d < bestD) {
      best = m.index;
      bestD = d;
    }
  }
  return best;
}

/** The whole turns a dragged span [x0, x1] (turn units) touches, clamped to the session; null for none. */
export function turnRange(x0: number, x1: number, domain: [number, number]): { fromTurn: number; toTurn: number } | null {
  const lo = Math.max(domain[0], Math.min(x0, x1));
  const hi = Math.min(domain[1], Math.max(x0, x1));
  if (hi <= lo) return null;
  const fromTurn = Math.floor(lo);
  const toTurn = Math.max(fromTurn, Math.ceil(hi) - 1);
  return { fromTurn, toTurn };
}

/** The indexes of events whose position lies in [x0, x1] (turn units). */
export function visibleEvents(positions: Float64Array, x0: number, x1: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < positions.length; i++) if (positions[i]! >= x0 && positions[i]! <= x1) out.push(i);
  return out;
}

/** The band (R3 period) covering a turn, or -1. */
export function bandAt(bands: readonly { fromTurn: number; toTurn: number }[], turn: number): number {
  return bands.findIndex((b) => turn >= b.fromTurn && turn <= b.toTurn);
}

/** The free pixels right of each mark before the next mark in its lane (Infinity for the last): room for its label. */
export function labelRooms(marks: readonly PlacedMark[]): number[] {
  const rooms = new Array<number>(marks.length).fill(Infinity);
  const order = marks.map((_, i) => i).sort((a, b) => marks[a]!.y - marks[b]!.y || marks[a]!.x - marks[b]!.x);
  for (let k = 0; k + 1 < order.length; k++) {
    const a = marks[order[k]!]!;
    const b = marks[order[k + 1]!]!;
    if (a.y === b.y) rooms[order[k]!] = Math.max(0, b.x - b.r - (a.x + a.r) - 6);
  }
  return rooms;
}
