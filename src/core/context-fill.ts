// How full the agent's context window was, event by event: the API's numbers where the transcript
// has them (usage), and Loupe's estimate everywhere, calibrated on those numbers when there are some.
//
// Why a line and not an offset. The visible events are not all the model sees: at the first call
// of the 10 corpus sessions with usage the real fill is 19–75k above Loupe's count of the events
// (system prompt, tool definitions, CLAUDE.md, skills, MCP tools), and the gap keeps growing: the
// real fill grows 1.3–3.8 times as fast as the visible count (thinking that stays in the context
// but is written empty to the transcript, notifications and attachments kept as meta records,
// Claude's tokenizer against gpt-tokenizer). A constant offset (the median of real − visible) put
// the posthog session's peak before its compaction at 121k for a real 167k (−27%), and
// blockchain-dex-events' at −28%; real ≈ base + ratio × visible, fitted robustly on each stretch
// between compactions, is within 11% of every corpus peak (posthog −9%), and its median error at a
// call is 1–3.4%.
// Pure: stats.ts reads the rows, this module does the arithmetic.

export interface ContextPoint {
  eventId: number;
  ts: string;
  tokens: number;
}

/** A main-line event that reaches the model, in session order. */
export interface FillEvent extends ContextPoint {
  /**
   * Added to the model's input from outside (a prompt, a tool result: role user or tool), as
   * opposed to the assistant's own output and the agent's bookkeeping (turn durations, hook summaries).
   */
  input: boolean;
  /** A compact boundary: the context starts again from the summary. */
  compaction: boolean;
}

/** real fill ≈ base + ratio × visible running total, over one stretch between compactions. */
export interface FillCalibration {
  /** The stretch's first event: the session's first, or the compact boundary that opened it. */
  fromEventId: number;
  /** Real usage points in the stretch. */
  usagePoints: number;
  base: number;
  ratio: number;
  /**
   * `fitted` on the stretch's own points; `base`: its base fitted, the ratio taken from another
   * stretch (too few points of its own); `borrowed` whole from the nearest stretch (none of its
   * own); `none`: the session has no usage, the estimate is the visible count alone.
   */
  fit: 'fitted' | 'base' | 'borrowed' | 'none';
}

/** The fill as it stands after the session's last event. */
export interface ContextNow {
  tokens: number;
  /** The event it was read or estimated at; null for a session with no main-line event. */
  eventId: number | null;
  /**
   * `usage`: the last API call's own numbers (nothing reached the context since);
   * `calibrated`: that call (or the calibration) plus what was added since, scaled by the ratio;
   * `visible`: Loupe's count of the visible events alone, without the system prompt, tools and attachments.
   */
  source: 'usage' | 'calibrated' | 'visible';
}

export interface ContextFill {
  /** The estimate at every main-line event (never below the visible count). */
  estimated: ContextPoint[];
  /** One a stretch between compactions. */
  calibration: FillCalibration[];
  /** No usage anywhere: `estimated` counts the visible events only. */
  visibleOnly: boolean;
  now: ContextNow;
}

// A stretch fits its own ratio from 5 points spread over 2k visible tokens: one call after a burst
// of hidden thinking gains up to 4.6k real tokens for under 200 visible ones (posthog; 4.0k in
// blockchain-dex-events), and among fewer or closer points one such pair decides the median slope.
const MIN_FIT_POINTS = 5;
const MIN_FIT_SPREAD = 2_000;
// Theil–Sen looks at every pair: 256 points are 32,640 slopes; a longer stretch is thinned evenly.
const MAX_FIT_POINTS = 256;

interface Stretch {
  fromEventId: number;
  /** (visible running total before the call, real fill) at each usage point. */
  points: { visible: number; real: number; eventId: number }[];
  calibration?: FillCalibration;
}

/**
 * The estimated fill curve, its calibration and the current fill, from the main line's events
 * (`events`, in order, with their gpt-tokenizer counts) and the real fills (`real`, in event order,
 * only messages with real usage). Event ids grow in session order: the store gives out ids and seqs
 * together, in append order.
 */
export function contextFill(events: readonly FillEvent[], real: readonly ContextPoint[]): ContextFill {
  // One walk: the visible running total (reset at each compaction) and, at each usage point, the
  // total just before its message (the call's input holds what came before, not its own output).
  const stretches: Stretch[] = [];
  const stretchOf: number[] = [];
  const running: number[] = [];
  let total = 0;
  let r = 0;
  const pointsBefore = (eventId: number) => {
    for (; r < real.length && real[r]!.eventId <= eventId; r++) {
      stretches.at(-1)?.points.push({ visible: total, real: real[r]!.tokens, eventId: real[r]!.eventId });
    }
  };
  for (const ev of events) {
    if (stretches.length === 0) stretches.push({ fromEventId: ev.eventId, points: [] });
    else if (ev.compaction) {
      // Points up to the boundary belong to the stretch they were in.
      pointsBefore(ev.eventId - 1);
      stretches.push({ fromEventId: ev.eventId, points: [] });
      total = 0;
    }
    pointsBefore(ev.eventId);
    total += ev.tokens;
    running.push(total);
    stretchOf.push(stretches.length - 1);
  }
  pointsBefore(Number.MAX_SAFE_INTEGER);

  calibrate(stretches);
  const estimated = events.map((ev, i) => {
    const c = stretches[stretchOf[i]!]!.calibration!;
    return { eventId: ev.eventId, ts: ev.ts, tokens: estimate(c, running[i]!) };
  });
  const visibleOnly = stretches.every((s) => s.calibration!.fit === 'none');
  return {
    estimated,
    calibration: stretches.map((s) => s.calibration!),
    visibleOnly,
    now: fillNow(events, running, stretches.at(-1), estimated.at(-1)),
  };
}

function estimate(c: FillCalibration, visible: number): number {
  // Everything Loupe counts is in the context, so the estimate never goes below it (a fitted line
  // can have a negative base: posthog's first stretch fits −12k + 3.6 × visible).
  return Math.max(visible, Math.round(c.base + c.ratio * visible));
}

/** Sets each stretch's calibration: its own fit, else its base with a borrowed ratio, else the nearest stretch's. */
function calibrate(stretches: Stretch[]): void {
  const ratios: number[] = [];
  for (const s of stretches) {
    // Within a stretch the visible total only grows: its spread is last minus first.
    const spread = s.points.length === 0 ? 0 : s.points.at(-1)!.visible - s.points[0]!.visible;
    if (s.points.length >= MIN_FIT_POINTS && spread >= MIN_FIT_SPREAD) {
      const { base, ratio } = theilSen(s.points);
      s.calibration = { fromEventId: s.fromEventId, usagePoints: s.points.length, base, ratio, fit: 'fitted' };
      ratios.push(ratio);
    }
  }
  // Without a fit anywhere, the ratio is 1: the real fill is the visible count plus an offset.
  const sharedRatio = ratios.length > 0 ? median(ratios) : 1;
  for (const s of stretches) {
    if (s.calibration || s.points.length === 0) continue;
    const base = median(s.points.map((p) => p.real - sharedRatio * p.visible));
    s.calibration = { fromEventId: s.fromEventId, usagePoints: s.points.length, base, ratio: sharedRatio, fit: 'base' };
  }
  // A stretch without usage (the start of a live session, just after a compaction) takes the
  // previous stretch's calibration, else the next one's: same agent, same system prompt and tools.
  stretches.forEach((s, i) => {
    if (s.calibration) return;
    const near = stretches.slice(0, i).reverse().find((o) => o.points.length > 0) ?? stretches.slice(i + 1).find((o) => o.points.length > 0);
    s.calibration = near
      ? { ...near.calibration!, fromEventId: s.fromEventId, usagePoints: 0, fit: 'borrowed' }
      : { fromEventId: s.fromEventId, usagePoints: 0, base: 0, ratio: 1, fit: 'none' };
  });
}

/**
 * The fill after the last event: the last call's numbers plus the calibrated growth since, or the
 * estimate when the stretch has no call. Unlike the curve (a fit, so it can be checked against the
 * calls), the gauge starts from the last call: it must never contradict a number the API reported.
 */
function fillNow(events: readonly FillEvent[], running: number[], last: Stretch | undefined, lastEstimate: ContextPoint | undefined): ContextNow {
  if (!last || !lastEstimate) return { tokens: 0, eventId: null, source: 'visible' };
  const c = last.calibration!;
  const p = last.points.at(-1);
  if (!p) return { tokens: lastEstimate.tokens, eventId: lastEstimate.eventId, source: c.fit === 'none' ? 'visible' : 'calibrated' };
  // Nothing came in since the call (only its own output, a `<synthetic>` reply, the agent's
  // bookkeeping): its fill is the current one. A result or a prompt since then adds to it.
  if (!events.some((ev) => ev.input && ev.eventId > p.eventId)) return { tokens: p.real, eventId: p.eventId, source: 'usage' };
  const grown = running.at(-1)! - p.visible;
  return { tokens: Math.round(p.real + c.ratio * grown), eventId: lastEstimate.eventId, source: 'calibrated' };
}

/**
 * The Theil–Sen line through the points: the median of the pairwise slopes (clamped at 0: a fill
 * that fell while the transcript grew, as when the agent clears old tool results, is not
 * extrapolated downwards), then the median intercept. It ignores up to ~29% of wild points, such as
 * posthog's first call (25.7k real for 46 visible tokens).
 */
function theilSen(all: readonly { visible: number; real: number }[]): { base: number; ratio: number } {
  const step = Math.max(1, all.length / MAX_FIT_POINTS);
  const points = all.length <= MAX_FIT_POINTS ? all : Array.from({ length: MAX_FIT_POINTS }, (_, i) => all[Math.floor(i * step)]!);
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j]!.visible - points[i]!.visible;
      if (dx !== 0) slopes.push((points[j]!.real - points[i]!.real) / dx);
    }
  }
  const ratio = Math.max(0, median(slopes));
  return { base: median(points.map((p) => p.real - ratio * p.visible)), ratio };
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
