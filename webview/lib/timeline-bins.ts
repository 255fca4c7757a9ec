// Where the timeline's marks go, and how 50,000 of them stay cheap: events placed once per data,
// the visible ones found by binary search, and everything that would share a pixel column merged
// into one mark (per lane) whose size is the bin's summed tokens. No DOM: unit-tested in node
// (test/unit/extension/timeline-bins.test.ts).

/** Each event's x in turn units: the events of a turn spread evenly across [turn, turn + 1), in order. */
export function eventPositions(eventTurns: readonly number[]): Float64Array {
  const counts = new Map<number, number>();
  for (const t of eventTurns) counts.set(t, (counts.get(t) ?? 0) + 1);
  const seen = new Map<number, number>();
  const pos = new Float64Array(eventTurns.length);
  eventTurns.forEach((t, i) => {
    const k = seen.get(t) ?? 0;
    seen.set(t, k + 1);
    pos[i] = t + (k + 0.5) / counts.get(t)!;
  });
  return pos;
}

/** The events in x order: `order[k]` is an event index, `x[k]` its position (ascending). */
export interface XOrder {
  order: Uint32Array;
  x: Float64Array;
}

/** Events arrive in session order, which is x order unless turns interleave: sorted only then. */
export function xOrder(positions: Float64Array): XOrder {
  const order = new Uint32Array(positions.length);
  let sorted = true;
  for (let i = 0; i < order.length; i++) {
    order[i] = i;
    if (i > 0 && positions[i]! < positions[i - 1]!) sorted = false;
  }
  if (!sorted) order.sort((a, b) => positions[a]! - positions[b]!);
  return { order, x: Float64Array.from(order, (i) => positions[i]!) };
}

/** The first k with x[k] ≥ value (x ascending). */
export function lowerBound(x: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Tokens and event counts per turn-bin and lane, dense: cell `bin * lanes + lane`; bin b holds turns first + b·perBin … */
export interface LaneTotals {
  first: number;
  perBin: number;
  bins: number;
  lanes: number;
  tokens: Float64Array;
  counts: Uint32Array;
  /** The largest cell's tokens: bars are scaled to it, so panning never rescales them. */
  max: number;
}

/** Per-turn totals of every lane over `domain` [first, last + 1). */
export function laneTotals(eventTurns: readonly number[], eventLanes: readonly number[], eventTokens: readonly number[], domain: [number, number], lanes: number): LaneTotals {
  const bins = Math.max(1, domain[1] - domain[0]);
  const tokens = new Float64Array(bins * lanes);
  const counts = new Uint32Array(bins * lanes);
  for (let i = 0; i < eventTurns.length; i++) {
    const cell = (eventTurns[i]! - domain[0]) * lanes + eventLanes[i]!;
    tokens[cell]! += eventTokens[i]!;
    counts[cell]!++;
  }
  return { first: domain[0], perBin: 1, bins, lanes, tokens, counts, max: maxOf(tokens) };
}

/** Per-turn totals merged `perBin` turns at a time (bins aligned to the first turn, so they hold still while panning). */
export function mergeBins(perTurn: LaneTotals, perBin: number): LaneTotals {
  if (perBin <= 1) return perTurn;
  const { lanes } = perTurn;
  const bins = Math.ceil(perTurn.bins / perBin);
  const tokens = new Float64Array(bins * lanes);
  const counts = new Uint32Array(bins * lanes);
  for (let t = 0; t < perTurn.bins; t++) {
    const b = Math.floor(t / perBin);
    for (let l = 0; l < lanes; l++) {
      tokens[b * lanes + l]! += perTurn.tokens[t * lanes + l]!;
      counts[b * lanes + l]! += perTurn.counts[t * lanes + l]!;
    }
  }
  return { first: perTurn.first, perBin, bins, lanes, tokens, counts, max: maxOf(tokens) };
}

/** Turns per bar so that a bar is at least `minPx` wide: a power of two, so zooming reuses few binnings. */
export function turnsPerBin(pxPerTurn: number, minPx: number): number {
  if (pxPerTurn >= minPx) return 1;
  return 2 ** Math.ceil(Math.log2(minPx / pxPerTurn));
}

function maxOf(values: Float64Array): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** Events of one lane that share a pixel column, as one mark (or a single event, count 1). */
export interface MarkBin {
  /** The first event's index. */
  index: number;
  /** Mean x of its events, in pixels. */
  x: number;
  lane: number;
  count: number;
  tokens: number;
  fromTurn: number;
  toTurn: number;
}

/**
 * The visible events [lo, hi) of `xo`, merged per lane and pixel column of `binPx`: zoomed in every
 * event is its own mark; zoomed out, everything a column would overdraw becomes one mark.
 */
export function binMarks(xo: XOrder, lo: number, hi: number, lanes: readonly number[], tokens: readonly number[], turns: readonly number[], toPx: (x: number) => number, binPx: number): MarkBin[] {
  const out: MarkBin[] = [];
  const open = new Map<number, { bin: MarkBin; column: number; sumX: number }>();
  for (let k = lo; k < hi; k++) {
    const i = xo.order[k]!;
    const px = toPx(xo.x[k]!);
    const column = Math.floor(px / binPx);
    const lane = lanes[i]!;
    const current = open.get(lane);
    if (current && current.column === column) {
      const b = current.bin;
      b.count++;
      b.tokens += tokens[i]!;
      b.toTurn = Math.max(b.toTurn, turns[i]!);
      b.fromTurn = Math.min(b.fromTurn, turns[i]!);
      current.sumX += px;
      b.x = current.sumX / b.count;
      continue;
    }
    const bin: MarkBin = { index: i, x: px, lane, count: 1, tokens: tokens[i]!, fromTurn: turns[i]!, toTurn: turns[i]! };
    open.set(lane, { bin, column, sumX: px });
    out.push(bin);
  }
  return out;
}

/** A mark's radius: area proportional to tokens, between 1.5 px and `maxRadius` (an aggregate stops there too). */
export function markRadius(tokens: number, maxTokens: number, maxRadius: number): number {
  if (maxTokens <= 0 || tokens <= 0) return 1.5;
  return Math.min(maxRadius, Math.max(1.5, Math.sqrt(tokens / maxTokens) * maxRadius));
}

/** A mark placed on screen, for hit testing (SVG and canvas alike). */
export interface PlacedMark extends MarkBin {
  y: number;
  r: number;
}

/** The mark under the pointer: the nearest whose circle (plus `slop` px) holds the point. */
export function markAt<M extends { x: number; y: number; r: number }>(marks: readonly M[], px: number, py: number, slop = 3): M | undefined {
  let best: M | undefined;
  let bestD = Infinity;
  for (const m of marks) {
    const d = Math.hypot(m.x - px, m.y - py);
    if (d <= m.r + slop && d < bestD) {
      best = m;
      bestD = d;
    }
  }
  return best;
}

/** The free pixels right of each mark before the next mark in its lane (Infinity for the last): room for its label. */
export function labelRooms(marks: readonly { x: number; y: number; r: number }[]): number[] {
  const rooms = new Array<number>(marks.length).fill(Infinity);
  const order = marks.map((_, i) => i).sort((a, b) => marks[a]!.y - marks[b]!.y || marks[a]!.x - marks[b]!.x);
  for (let k = 0; k + 1 < order.length; k++) {
    const a = marks[order[k]!]!;
    const b = marks[order[k + 1]!]!;
    if (a.y === b.y) rooms[order[k]!] = Math.max(0, b.x - b.r - (a.x + a.r) - 6);
  }
  return rooms;
}

/** Pixels per point of the fill curve: finer is invisible and costs painting on every frame. */
const FILL_PX = 2;

/**
 * The fill curve's points between x0 and x1 (turn units), one per FILL_PX column (its highest fill,
 * so a peak before a compaction is never smoothed away), plus the neighbours just outside, so the
 * line runs to the edges. `x` ascending; returns [px, tokens] pairs.
 */
export function fillPolyline(x: ArrayLike<number>, tokens: ArrayLike<number>, x0: number, x1: number, toPx: (x: number) => number): [number, number][] {
  const lo = Math.max(0, lowerBound(x, x0) - 1);
  const hi = Math.min(x.length, lowerBound(x, x1) + 1);
  const out: [number, number][] = [];
  let column = NaN;
  for (let k = lo; k < hi; k++) {
    const px = toPx(x[k]!);
    const c = Math.round(px / FILL_PX);
    const last = out.at(-1);
    if (last && c === column && k !== hi - 1 && k !== lo) {
      if (tokens[k]! > last[1]) last[1] = tokens[k]!;
      continue;
    }
    column = c;
    out.push([px, tokens[k]!]);
  }
  return out;
}

/** What the view computes once per timeline, so that a frame only looks things up. */
export interface PreparedTimeline {
  domain: [number, number];
  positions: Float64Array;
  xo: XOrder;
  perTurn: LaneTotals;
  maxEventTokens: number;
  /** The fill curve's points in x order. */
  fillX: Float64Array;
  fillTokens: Float64Array;
  fillMax: number;
}

export function prepareTimeline(events: { turn: number[]; lane: number[]; tokens: number[] }, domain: [number, number], lanes: number, fill: { eventIndex: number[]; tokens: number[] }): PreparedTimeline {
  const positions = eventPositions(events.turn);
  let maxEventTokens = 1;
  for (const t of events.tokens) if (t > maxEventTokens) maxEventTokens = t;
  const points = fill.eventIndex.map((i, k) => [positions[i]!, fill.tokens[k]!] as const).sort((a, b) => a[0] - b[0]);
  return {
    domain,
    positions,
    xo: xOrder(positions),
    perTurn: laneTotals(events.turn, events.lane, events.tokens, domain, lanes),
    maxEventTokens,
    fillX: Float64Array.from(points, (p) => p[0]),
    fillTokens: Float64Array.from(points, (p) => p[1]),
    fillMax: points.reduce((m, p) => Math.max(m, p[1]), 0),
  };
}
