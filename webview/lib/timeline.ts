// Pure view logic of the visualiser's timeline: which resolution a zoom shows, which turns a dragged
// range covers, where a revealed turn goes, what a key does. Where the marks go and how they are
// binned when zoomed out is in timeline-bins.ts. No DOM, no d3: unit-tested in node
// (test/unit/extension/timeline-model.test.ts).
import type { TimelineBand, TimelineLane, TimelineTurn } from '../../src/protocol';

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
/**
 * Above this many marks or bars in view, they are painted on a canvas instead of being SVG nodes:
 * past a few hundred, updating the nodes on every frame of a zoom costs more than a frame
 * (measured by test/bench/webview.ts).
 */
export const CANVAS_THRESHOLD = 500;

/** The resolution a zoom shows: `k` is the zoom factor, `pxPerTurn` the width of one turn on screen. */
export function resolutionAt(k: number, pxPerTurn: number): Resolution {
  if (k < OUTLINE_BELOW_ZOOM) return 4;
  if (pxPerTurn < SHARPER_AT_PX[0]) return 3;
  if (pxPerTurn < SHARPER_AT_PX[1]) return 2;
  if (pxPerTurn < SHARPER_AT_PX[2]) return 1;
  return 0;
}

/** The turn domain [first, last + 1): turn t spans [t, t + 1) on the x axis. `eventTurns`: each event's turn. */
export function turnDomain(turns: readonly TimelineTurn[], eventTurns: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of turns) {
    lo = Math.min(lo, t.index);
    hi = Math.max(hi, t.index);
  }
  for (const t of eventTurns) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return Number.isFinite(lo) ? [lo, hi + 1] : [0, 1];
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

/**
 * R3 periods as drawn: consecutive periods narrower than `minPx` on screen merge into one band (a
 * long session has hundreds; a band a few pixels wide can say nothing, and each costs nodes on every
 * frame). A merged band says how many periods it holds; the tooltip still names the one under the pointer.
 */
export function mergeBands(bands: readonly TimelineBand[], pxPerTurn: number, minPx: number): TimelineBand[] {
  const out: TimelineBand[] = [];
  let count = 0;
  for (const b of bands) {
    const last = out.at(-1);
    if (last && (last.toTurn - last.fromTurn + 1) * pxPerTurn < minPx) {
      last.toTurn = b.toTurn;
      last.summary = `${++count} periods: zoom in to read them`;
      continue;
    }
    out.push({ ...b });
    count = 1;
  }
  return out;
}

/** The band (R3 period) covering a turn, or -1. */
export function bandAt(bands: readonly { fromTurn: number; toTurn: number }[], turn: number): number {
  return bands.findIndex((b) => turn >= b.fromTurn && turn <= b.toTurn);
}

/** A span of consecutive turns [from, to] (inclusive). */
export interface TurnRun {
  from: number;
  to: number;
}

/** Turns merged into runs of consecutive turns, sorted: one shape per run, not per turn. */
export function turnRuns(turns: Iterable<number>): TurnRun[] {
  const sorted = [...new Set(turns)].sort((a, b) => a - b);
  const runs: TurnRun[] = [];
  for (const t of sorted) {
    const last = runs.at(-1);
    if (last && t === last.to + 1) last.to = t;
    else runs.push({ from: t, to: t });
  }
  return runs;
}

/** The turns a progressive read has reached, as runs of consecutive turns read at the same level. */
export function levelRuns(levels: ReadonlyMap<number, Resolution>): (TurnRun & { level: Resolution })[] {
  const runs: (TurnRun & { level: Resolution })[] = [];
  for (const t of [...levels.keys()].sort((a, b) => a - b)) {
    const level = levels.get(t)!;
    const last = runs.at(-1);
    if (last && t === last.to + 1 && last.level === level) last.to = t;
    else runs.push({ from: t, to: t, level });
  }
  return runs;
}

/** Pixels per turn a revealed turn gets at least: the middle of the R2 range. */
const REVEAL_PX_PER_TURN = (SHARPER_AT_PX[0] + SHARPER_AT_PX[1]) / 2;

/**
 * The zoom (d3 transform k, x) that centres `turn` in a plot [left, left + width] showing `domain`
 * at k = 1, at least R2 sharp; a zoom already sharper is kept. `maxK` is the zoom's own limit.
 */
export function revealTransform(turn: number, domain: [number, number], left: number, width: number, currentK: number, maxK: number): { k: number; x: number } {
  const basePx = width / Math.max(1, domain[1] - domain[0]);
  const k = Math.min(maxK, Math.max(currentK, OUTLINE_BELOW_ZOOM, REVEAL_PX_PER_TURN / basePx));
  const centre = left + (turn + 0.5 - domain[0]) * basePx;
  return { k, x: left + width / 2 - k * centre };
}

/** What a key does on the focused timeline. */
export type KeyCommand = { kind: 'pan'; by: number } | { kind: 'zoom'; by: number } | { kind: 'start' } | { kind: 'end' } | { kind: 'clear' };

/** Share of the plot's width one arrow key pans, and the factor one +/− zooms (the toolbar's too). */
const KEY_PAN = 0.2;
const KEY_ZOOM = 1.5;

/** ←/→ pan, +/− zoom (= is + unshifted), Home/End go to the ends, Escape clears the selection. */
export function keyCommand(key: string): KeyCommand | undefined {
  switch (key) {
    case 'ArrowLeft':
      return { kind: 'pan', by: -KEY_PAN };
    case 'ArrowRight':
      return { kind: 'pan', by: KEY_PAN };
    case '+':
    case '=':
      return { kind: 'zoom', by: KEY_ZOOM };
    case '-':
    case '_':
      return { kind: 'zoom', by: 1 / KEY_ZOOM };
    case 'Home':
      return { kind: 'start' };
    case 'End':
      return { kind: 'end' };
    case 'Escape':
      return { kind: 'clear' };
    default:
      return undefined;
  }
}
