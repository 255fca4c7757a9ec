// The host side of the actions panel, without vscode so node tests run it: the live size of a
// compaction at a budget (optionally of a turn range), recall scoped to a range, and the plan of a
// progressive read from a turn, each turned into the protocol message the webview is sent.
import { assemble, BudgetTooSmallError, type CompactResult } from '../../core/assemble/compact';
import { initCodeFolding } from '../../core/distill/code-fold';
import { distillSession, type DistilledSession } from '../../core/distill/units';
import { planRead, type ReadPlan } from '../../core/progressive/plan';
import { storedUnits } from '../../core/progressive/units-view';
import { recall } from '../../core/recall/recall';
import type { Store } from '../../core/store/store';
import type { DidCompactPreviewNotification, DidPlanReadNotification, DidRecallNotification, ReadPlanItem, RecallHitItem, TurnScope } from '../../protocol';

/** Distillations by session, kept while the session does not change: the slider asks many times a second. */
export class DistilledCache {
  private key = '';
  private value: DistilledSession | undefined;

  get(store: Store, sessionId: string): DistilledSession {
    const session = store.resolveSession(sessionId);
    // A session that grew has a new updatedAt or more bytes ingested: distil it again.
    const key = `${session.id}:${session.updatedAt}:${session.bytesIngested}`;
    if (key !== this.key || !this.value) {
      this.value = distillSession(store, session.id);
      this.key = key;
    }
    return this.value;
  }
}

function scopeFields(scope: TurnScope): TurnScope {
  const out: TurnScope = {};
  if (scope.fromTurn !== undefined) out.fromTurn = scope.fromTurn;
  if (scope.toTurn !== undefined) out.toTurn = scope.toTurn;
  return out;
}

function inScope(turn: number, scope: TurnScope): boolean {
  return turn >= (scope.fromTurn ?? -Infinity) && turn <= (scope.toTurn ?? Infinity);
}

/** Counts of turns by the level the compaction shows them at. */
export function levelCounts(result: Pick<CompactResult, 'levels'>): DidCompactPreviewNotification['levels'] {
  const counts = { none: 0, R2: 0, R1: 0, R0: 0 };
  for (const level of result.levels.values()) counts[level]++;
  return counts;
}

/**
 * What the compaction at `budget` would be, without recording it as recalled (a preview is not a
 * read). A budget too small is an answer too: `error` says so and tokens is 0.
 */
export async function compactPreview(d: DistilledSession, budget: number, scope: TurnScope = {}): Promise<DidCompactPreviewNotification> {
  await initCodeFolding();
  const sessionTokens = d.events.filter((e) => inScope(e.turn, scope)).reduce((n, e) => n + e.tokens, 0);
  const base = { type: 'didCompactPreview' as const, sessionId: d.session.id, budget, sessionTokens, ...scopeFields(scope) };
  try {
    const result = assemble(d, { budget, ...scopeFields(scope) });
    return { ...base, tokens: result.tokens, header: result.header, levels: levelCounts(result) };
  } catch (err) {
    if (!(err instanceof BudgetTooSmallError)) throw err;
    return { ...base, tokens: 0, header: '', levels: { none: 0, R2: 0, R1: 0, R0: 0 }, error: `${err.message}. Move the slider right for a larger budget.` };
  }
}

export const RECALL_LIMIT = 20;

/** Recall in one session, optionally in a turn range; live results are not recorded as touches. */
export function recallItems(store: Store, sessionId: string, query: string, scope: TurnScope = {}): DidRecallNotification {
  const base = { type: 'didRecall' as const, query, ...scopeFields(scope) };
  if (query.trim() === '') return { ...base, hits: [] };
  try {
    const result = recall(store, query, { session: sessionId, limit: RECALL_LIMIT, record: false, ...scopeFields(scope) });
    const hits: RecallHitItem[] = result.hits.map((h) => ({ handle: h.handle, turn: h.turn, level: h.level, snippet: h.snippet, score: h.score, archived: h.archived }));
    return { ...base, hits };
  } catch (err) {
    return { ...base, hits: [], error: (err as Error).message };
  }
}

/** The session from `fromTurn` on: a progressive read "from here" plans and reads only those turns. */
export function sessionFrom(d: DistilledSession, fromTurn: number | undefined): DistilledSession {
  if (fromTurn === undefined || fromTurn <= (d.turns[0] ?? 0)) return d;
  const turns = d.turns.filter((t) => t >= fromTurn);
  if (turns.length === 0) throw new Error(`the session has no turn ${fromTurn} or later (its last turn is ${d.turns.at(-1) ?? 0})`);
  return { ...d, turns };
}

/** The plan as the webview shows it. */
export function planItem(plan: ReadPlan, d: DistilledSession): ReadPlanItem {
  return {
    window: plan.window,
    fromTurn: d.turns[0] ?? 0,
    toTurn: d.turns.at(-1) ?? 0,
    mode: plan.mode,
    passes: plan.passes.map((p) => ({ pass: p.pass, task: p.task, level: p.slice.level, fromTurn: p.slice.turnFrom, toTurn: p.slice.turnTo, sliceTokens: p.slice.tokens, promptTokens: p.promptTokens })),
    totalRead: plan.totalRead,
    progressiveRead: plan.progressiveRead,
    dense: { tokens: plan.dense.totalRead, calls: plan.dense.calls },
  };
}

export type DistillerKind = 'extractive' | 'anthropic' | 'vscode-lm' | 'openai-compatible';

/** Whether a progressive read can run with this distiller, and the sentence that says so. */
export function runHint(distiller: DistillerKind | string, model: string, endpoint: string): { canRun: boolean; runHint: string } {
  const named = model.trim() ? ` (${model.trim()})` : '';
  switch (distiller) {
    case 'anthropic':
      return { canRun: true, runHint: `Runs with Anthropic${named}; the API key comes from "Loupe: Set API Key" or ANTHROPIC_API_KEY.` };
    case 'openai-compatible':
      return endpoint.trim()
        ? { canRun: true, runHint: `Runs with the OpenAI-compatible endpoint ${endpoint.trim()}${named}.` }
        : { canRun: false, runHint: 'Running needs a model: loupe.distiller is "openai-compatible" but loupe.endpoint is empty. Set loupe.endpoint (e.g. http://localhost:11434/v1) and loupe.model.' };
    case 'vscode-lm':
      return { canRun: true, runHint: `Runs with your VS Code chat model${named || ' (the first installed)'}; VS Code asks your consent the first time.` };
    default:
      return {
        canRun: false,
        runHint:
          'Running needs a model: the "extractive" distiller works offline and cannot read. Set loupe.distiller to "anthropic" (then "Loupe: Set API Key"), "openai-compatible" (with loupe.endpoint) or "vscode-lm" (your installed chat models).',
      };
  }
}

/** The plan message of a progressive read of `d` from `fromTurn` within a model window. */
export function readPlanMessage(
  store: Store,
  d: DistilledSession,
  options: { window: number; fromTurn?: number; question?: string; distiller: string; model: string; endpoint: string },
): DidPlanReadNotification {
  const hint = runHint(options.distiller, options.model, options.endpoint);
  const base = { type: 'didPlanRead' as const, sessionId: d.session.id, distiller: options.distiller, ...hint };
  try {
    const from = sessionFrom(d, options.fromTurn);
    const question = options.question?.trim();
    const plan = planRead(from, { window: options.window, units: storedUnits(store, from), ...(question ? { question } : {}) });
    return { ...base, plan: planItem(plan, from) };
  } catch (err) {
    return { ...base, plan: null, canRun: false, error: (err as Error).message };
  }
}

const LEVEL_NUMBER: Record<string, number> = { 'R4+R3': 3, R2: 2, R1: 1, R0: 0 };

/**
 * The sharpest level each turn has been read at after these passes: [turn, 0–4] pairs, turn order.
 * Pass 1 reads every turn through the working context (R3); later passes sharpen their slices. A
 * detail slice's turns need not be contiguous: give `turns` when known (the plan's slice), else the
 * whole span turnFrom..turnTo counts as read.
 */
export function readLevels(passes: readonly { level: string; turnFrom: number; turnTo: number; turns?: readonly number[] }[], sessionTurns: readonly number[]): [number, number][] {
  const levels = new Map<number, number>();
  for (const p of passes) {
    const level = LEVEL_NUMBER[p.level];
    if (level === undefined) continue;
    const read = p.turns ? new Set(p.turns) : undefined;
    for (const t of sessionTurns) {
      if (t < p.turnFrom || t > p.turnTo || (read && !read.has(t))) continue;
      if (level < (levels.get(t) ?? 4)) levels.set(t, level);
    }
  }
  return [...levels].sort((a, b) => a[0] - b[0]);
}
