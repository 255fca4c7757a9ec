// Pure view logic of the sidebar and panel: no DOM, unit-tested in node.
import type { SessionDetail } from '../../src/protocol';

/** Budgets of the resolution slider, blurry (few tokens) to sharp. */
export const SLIDER_BUDGETS = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000] as const;

/** The slider position closest to `budget`. */
export function sliderIndexFor(budget: number): number {
  let best = 0;
  for (let i = 0; i < SLIDER_BUDGETS.length; i++) {
    if (Math.abs(Math.log(SLIDER_BUDGETS[i]!) - Math.log(budget)) < Math.abs(Math.log(SLIDER_BUDGETS[best]!) - Math.log(budget))) best = i;
  }
  return best;
}

export function budgetAt(index: number): number {
  return SLIDER_BUDGETS[Math.max(0, Math.min(SLIDER_BUDGETS.length - 1, Math.round(index)))]!;
}

export function formatTokens(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  return String(Math.round(n));
}

export interface GaugeSegment {
  kind: string;
  tokens: number;
  /** Share of the session's tokens, 0..100. */
  percent: number;
}

/** The context gauge's segments: the biggest kinds, the rest grouped as "other". */
export function gaugeSegments(byKind: SessionDetail['byKind'], maxSegments = 5): GaugeSegment[] {
  const total = byKind.reduce((n, k) => n + k.tokens, 0);
  if (total <= 0) return [];
  const sorted = [...byKind].filter((k) => k.tokens > 0).sort((a, b) => b.tokens - a.tokens);
  const head = sorted.slice(0, maxSegments - 1);
  const rest = sorted.slice(maxSegments - 1);
  const segments = head.map((k) => ({ kind: k.kind, tokens: k.tokens }));
  if (rest.length === 1) segments.push({ kind: rest[0]!.kind, tokens: rest[0]!.tokens });
  else if (rest.length > 1) segments.push({ kind: 'other', tokens: rest.reduce((n, k) => n + k.tokens, 0) });
  return segments.map((s) => ({ ...s, percent: (s.tokens / total) * 100 }));
}

/** The sidebar's fill line and its hover: how much, and how sure (the API's number, an estimate, the visible part). */
export function fillCaption(d: Pick<SessionDetail, 'contextTokens' | 'contextWindow' | 'contextSource'>): { text: string; title: string } {
  const pct = Math.round(fillPercent(d.contextTokens, d.contextWindow));
  const of = `${d.contextTokens.toLocaleString('en-US')} of ${d.contextWindow.toLocaleString('en-US')} tokens`;
  switch (d.contextSource) {
    case 'usage':
      return { text: `Context ${formatTokens(d.contextTokens)} / ${formatTokens(d.contextWindow)} (${pct}%)`, title: `${of}: the last API call's usage` };
    case 'calibrated':
      return {
        text: `Context ≈${formatTokens(d.contextTokens)} / ${formatTokens(d.contextWindow)} (${pct}%)`,
        title: `About ${of}: the last API call's usage and what came in since, estimated`,
      };
    case 'visible':
      return {
        text: `Context ≥${formatTokens(d.contextTokens)} / ${formatTokens(d.contextWindow)} (${pct}%), visible events only`,
        title: `At least ${of}: no API usage in this transcript, so the system prompt, tools and attachments are not counted`,
      };
  }
}

/** Context fill as a percentage of the window, capped at 100. */
export function fillPercent(tokens: number, window: number): number {
  return window > 0 ? Math.min(100, (tokens / window) * 100) : 0;
}

export interface TimelineBar {
  /** First and last turn in the bar. */
  from: number;
  to: number;
  tokens: number;
  /** Height relative to the tallest bar, 0..100. */
  height: number;
  prompt: string;
}

/** The mini timeline: turns bucketed into at most `maxBars` bars. */
export function timelineBars(turns: SessionDetail['turns'], maxBars: number): TimelineBar[] {
  if (turns.length === 0 || maxBars <= 0) return [];
  const n = Math.min(maxBars, turns.length);
  const bars: TimelineBar[] = [];
  for (let b = 0; b < n; b++) {
    const from = Math.floor((b * turns.length) / n);
    const to = Math.max(from + 1, Math.floor(((b + 1) * turns.length) / n));
    const slice = turns.slice(from, to);
    bars.push({
      from: slice[0]!.index,
      to: slice[slice.length - 1]!.index,
      tokens: slice.reduce((s, t) => s + t.tokens, 0),
      height: 0,
      prompt: slice[0]!.prompt,
    });
  }
  const max = Math.max(1, ...bars.map((b) => b.tokens));
  for (const bar of bars) bar.height = Math.max(2, (bar.tokens / max) * 100);
  return bars;
}
