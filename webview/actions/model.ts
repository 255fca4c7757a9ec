// What the actions panel says, as pure functions (unit-tested in test/unit/extension/actions-model.test.ts).
import type { DidCompactPreviewNotification, ReadPlanItem, ReadPlanPass, RecallHitItem, TurnScope } from '../../src/protocol';
import { formatTokens } from '../lib/model';

/** The windows a progressive read can be planned for; every pass fits in the chosen one. */
export const READ_WINDOWS = [8_000, 16_000, 32_000, 64_000, 128_000, 200_000] as const;
export const DEFAULT_READ_WINDOW = 32_000;

export function turnSpan(from: number, to: number): string {
  return from === to ? `turn ${from}` : `turns ${from}–${to}`;
}

/** "whole session", "turns 10–14", "from turn 10", "up to turn 14". */
export function scopeLabel(scope: TurnScope): string {
  const { fromTurn: a, toTurn: b } = scope;
  if (a !== undefined && b !== undefined) return turnSpan(a, b);
  if (a !== undefined) return `from turn ${a}`;
  if (b !== undefined) return `up to turn ${b}`;
  return 'whole session';
}

export function isScoped(scope: TurnScope): boolean {
  return scope.fromTurn !== undefined || scope.toTurn !== undefined;
}

export function sameScope(a: TurnScope, b: TurnScope): boolean {
  return a.fromTurn === b.fromTurn && a.toTurn === b.toTurn;
}

/** The live count under the Compact slider: a headline and what the budget bought. */
export function previewSummary(p: DidCompactPreviewNotification): { headline: string; detail: string } {
  if (p.error) return { headline: 'Does not fit', detail: p.error };
  const levels = (['R2', 'R1', 'R0'] as const).filter((l) => p.levels[l] > 0).map((l) => `${p.levels[l]} at ${l}`);
  const head = p.header === 'R4' ? 'R4 outline' : 'R3 working context';
  const turns = levels.length > 0 ? ` + turns: ${levels.join(', ')}` : '';
  const ratio = p.tokens > 0 && p.sessionTokens > p.tokens ? ` · ${Math.round(p.sessionTokens / p.tokens)}× smaller than ${formatTokens(p.sessionTokens)}` : '';
  return { headline: `${p.tokens.toLocaleString('en-US')} tokens`, detail: `${head}${turns}${ratio}` };
}

export function passTurns(p: ReadPlanPass): string {
  return turnSpan(p.fromTurn, p.toTurn);
}

/** One line under the plan's table. */
export function planTotals(plan: ReadPlanItem): string {
  const calls = `${plan.passes.length} call${plan.passes.length === 1 ? '' : 's'}`;
  if (plan.mode === 'dense') {
    return `A dense read: ${calls} read the whole session verbatim, ${formatTokens(plan.totalRead)} tokens; the progressive passes would read more (${formatTokens(plan.progressiveRead)}).`;
  }
  const ratio = plan.totalRead > 0 ? plan.dense.tokens / plan.totalRead : 1;
  const compare = ratio >= 1.05 ? `${ratio.toFixed(1)}× less than` : ratio <= 0.95 ? `${(1 / ratio).toFixed(1)}× more than` : 'about the same as';
  return `${plan.passes.length} passes read ${formatTokens(plan.totalRead)} tokens: ${compare} a dense read (${formatTokens(plan.dense.tokens)} in ${plan.dense.calls} call${plan.dense.calls === 1 ? '' : 's'}).`;
}

export function hitTitle(h: RecallHitItem): string {
  return `${h.handle} · turn ${h.turn} · ${h.level}${h.archived ? ' · archived' : ''}`;
}

/** Runs `fn` once, `ms` after the last call. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): ((...args: A) => void) & { cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const call = (...args: A) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn(...args);
    }, ms);
  };
  call.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return call;
}
