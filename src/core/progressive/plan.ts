// The schedule of a progressive read (DESIGN §7): deterministic, offline, inspectable. Pass 1
// reads the whole session at R4+R3; then R2 digests in slices; then R1, and R0 verbatim last, for
// the regions that need detail. Every call fits the window: instructions + state + slice + the
// answer's max_tokens ≤ W. Detail regions are provisional here (the turns the digests flag:
// errors, decisions, values, the last turn); at run time the state's DETAIL requests replace them.
// The plan never costs more than a dense read of the whole verbatim session (issue 13): where the
// passes would, the plan is that dense read instead, and says why.
import type { DistilledSession } from '../distill/units';
import { PASS_TASKS, passUserPrompt, PROGRESSIVE_SYSTEM, type PassTask } from '../llm/prompts';
import { countExact } from '../tokens/count';
import { denseSlices, denseTokens } from './dense';
import { overviewSlice, packTurns, type Slice, turnText, type UnitTexts } from './slices';

export interface PlanOptions {
  window: number;
  question?: string;
  /** Passes at R1 over the detail regions (default 2) and at R0 (default 1). */
  detailPasses?: number;
  verbatimPasses?: number;
  /** Stored R2/R3 texts to read (storedUnits); the extractive renderings otherwise. */
  units?: UnitTexts;
}

export interface PlannedPass {
  pass: number;
  task: PassTask;
  slice: Slice;
  /** The prompt's size when the state is at its cap: instructions + state cap + slice. */
  promptTokens: number;
  maxOutput: number;
}

export interface ReadPlan {
  sessionId: string;
  window: number;
  question: string | undefined;
  turns: number;
  instructionTokens: number;
  stateCap: number;
  outputCap: number;
  sliceBudget: number;
  /**
   * 'progressive': coarse to fine (R4+R3, R2, then R1 and R0 for detail). 'dense': the whole
   * verbatim session in order, one slice per pass, because the progressive passes would cost more.
   */
  mode: 'progressive' | 'dense';
  /** Why this mode, with the two totals. */
  reason: string;
  passes: PlannedPass[];
  /** Tokens sent over all passes (prompts at the state cap). */
  totalRead: number;
  /** The progressive schedule's total, also when the plan is dense (what reading densely saved). */
  progressiveRead: number;
  /**
   * Reading the whole verbatim session (every main-line event whole, edit bodies and long outputs
   * included) in window-sized slices instead, each call with the instructions and the state.
   */
  dense: { sessionTokens: number; calls: number; totalRead: number };
}

export class WindowTooSmallError extends Error {}

/** Below this, a slice holds too little to be worth a call. */
const MIN_SLICE = 256;

export function planRead(d: DistilledSession, options: PlanOptions): ReadPlan {
  const W = options.window;
  const stateCap = clamp(Math.floor(W * 0.15), 150, 6000);
  const outputCap = clamp(Math.floor(W * 0.08), 150, 4000);
  const instructionTokens = instructionsSize(d.turns.length, options.question, stateCap);
  const sliceBudget = W - instructionTokens - stateCap - outputCap;
  if (sliceBudget < MIN_SLICE) {
    throw new WindowTooSmallError(`a window of ${W} tokens is too small: instructions take ${instructionTokens}, the state ${stateCap} and the answer ${outputCap} (at least ${instructionTokens + stateCap + outputCap + MIN_SLICE} needed)`);
  }

  const planned: Omit<PlannedPass, 'pass'>[] = [];
  const add = (task: PassTask, slice: Slice) => planned.push({ task, slice, promptTokens: instructionTokens + stateCap + slice.tokens, maxOutput: outputCap });
  add('outline', overviewSlice(d, sliceBudget, options.units));
  for (const s of packTurns(d, d.turns, 'R2', sliceBudget, options.units)) add('refine', s);
  const regions = detailCandidates(d);
  for (const s of detailSlices(d, regions, 'R1', sliceBudget, options.detailPasses ?? 2)) add('add detail', s);
  for (const s of detailSlices(d, regions, 'R0', sliceBudget, options.verbatimPasses ?? 1)) add('add detail', s);
  const progressive = planned.map((p, i) => ({ ...p, pass: i + 1 }));
  const progressiveRead = progressive.reduce((n, p) => n + p.promptTokens, 0);

  // The dense read is what this runner would send reading the session whole: the same calls
  // (instructions + state + slice + answer ≤ W), the slices being the verbatim session in order.
  const dense = denseSlices(d, sliceBudget).map((slice, i) => ({ pass: i + 1, task: 'read' as const, slice, promptTokens: instructionTokens + stateCap + slice.tokens, maxOutput: outputCap }));
  const denseRead = dense.reduce((n, p) => n + p.promptTokens, 0);
  const isDense = progressiveRead > denseRead;
  const passes = isDense ? dense : progressive;
  const n = (x: number) => x.toLocaleString('en-US');
  const reason = isDense
    ? `the progressive passes would read ${n(progressiveRead)} tokens in ${progressive.length} calls, more than the whole verbatim session in order (${n(denseRead)} in ${dense.length}): reading densely`
    : `the progressive passes read ${n(progressiveRead)} tokens in ${progressive.length} calls, no more than the whole verbatim session in order (${n(denseRead)} in ${dense.length})`;
  return {
    sessionId: d.session.id,
    window: W,
    question: options.question,
    turns: d.turns.length,
    instructionTokens,
    stateCap,
    outputCap,
    sliceBudget,
    mode: isDense ? 'dense' : 'progressive',
    reason,
    passes,
    totalRead: isDense ? denseRead : progressiveRead,
    progressiveRead,
    dense: { sessionTokens: denseTokens(dense.map((p) => p.slice)), calls: dense.length, totalRead: denseRead },
  };
}

/**
 * Slices of the given turns at a level, at most `maxPasses` of them: the turns are taken in
 * priority order until the passes are full, then read in session order.
 */
export function detailSlices(d: DistilledSession, ranked: readonly number[], level: 'R1' | 'R0', budget: number, maxPasses: number): Slice[] {
  if (maxPasses <= 0 || ranked.length === 0) return [];
  const chosen: number[] = [];
  let used = 0;
  for (const turn of ranked) {
    const size = Math.min(budget, countExact(turnText(d, turn, level)) + 1);
    if (used + size > budget * maxPasses) continue;
    chosen.push(turn);
    used += size;
  }
  return packTurns(d, chosen.sort((a, b) => a - b), level, budget).slice(0, maxPasses);
}

/** Turns the digests flag as worth a sharper read, most important first. */
export function detailCandidates(d: DistilledSession): number[] {
  const last = d.turns[d.turns.length - 1];
  const score = (t: number) => {
    const g = d.digests.get(t)!;
    return 3 * g.errors.length + 2 * g.values.length + 2 * g.decisions.length + g.edited.length + (t === last ? 5 : 0);
  };
  return d.turns.filter((t) => score(t) > 0).sort((a, b) => score(b) - score(a) || b - a);
}

/** The system prompt and the user message's fixed parts, at their longest for this session. */
function instructionsSize(turns: number, question: string | undefined, stateCap: number): number {
  const frame = (task: PassTask) => passUserPrompt({ pass: 9999, passes: 9999, task, level: 'R4+R3', turnFrom: turns, turnTo: turns, turns, percentFrom: 100, percentTo: 100, question, state: '', stateTokens: stateCap, stateCap, slice: '' });
  // A margin for tokenizer differences at the seams between the frame, the state and the slice.
  return countExact(PROGRESSIVE_SYSTEM) + Math.max(...PASS_TASKS.map((t) => countExact(frame(t)))) + 16;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

export function percentOf(turn: number, turns: number, end: boolean): number {
  if (turns === 0) return 0;
  return Math.round((100 * (end ? turn : turn - 1)) / turns);
}
