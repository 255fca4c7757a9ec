// The progressive-read runner: follows the plan pass by pass, sends each pass its position, task,
// the state and its slice, applies the returned edits, and stores every pass (view, sizes, edits,
// state after) so the visualiser can replay the session sharpening. Detail passes read the turns
// the state asked for (DETAIL), or the plan's candidates when it asked for none.
import type { DistilledSession } from '../distill/units';
import { LlmError, type LlmProvider, UsageMeter } from '../llm/provider';
import { passUserPrompt, PROGRESSIVE_SYSTEM } from '../llm/prompts';
import { all, json, num, one, str } from '../store/rows';
import type { Store } from '../store/store';
import { countExact } from '../tokens/count';
import { detailCandidates, detailSlices, percentOf, planRead, type PlannedPass, type PlanOptions, type ReadPlan } from './plan';
import { fitTokens } from '../tokens/fit';
import { MalformedAnswerError, type ParsedAnswer, parseAnswer, ReadState } from './state';
import { storedUnits } from './units-view';

export interface ReadOptions extends PlanOptions {
  signal?: AbortSignal;
  /** With a question: stop once the model's confidence reaches this (default 0.9). */
  stopAt?: number;
  onPass?: (pass: PassRecord) => void;
  now?: () => Date;
  /** Continue this stored run (same session, window and question) after its last stored pass. */
  resume?: number;
}

export interface PassRecord {
  pass: number;
  passes: number;
  task: PlannedPass['task'];
  level: string;
  turnFrom: number;
  turnTo: number;
  eventFrom: number;
  eventTo: number;
  promptTokens: number;
  sliceTokens: number;
  stateTokens: number;
  outputTokens: number;
  edits: ParsedAnswer['edits'];
  stateAfter: string;
  status: 'ok' | 'malformed' | 'failed' | 'fallback';
  reason: string;
}

export interface ReadResult {
  runId: number;
  plan: ReadPlan;
  passes: PassRecord[];
  state: string;
  status: 'done' | 'stopped-early' | 'cancelled' | 'failed';
  /** Planned prompt tokens not sent because the read stopped early. */
  saved: number;
  usage: UsageMeter;
}

export async function progressiveRead(store: Store, d: DistilledSession, provider: LlmProvider, options: ReadOptions): Promise<ReadResult> {
  const now = options.now ?? (() => new Date());
  const plan = planRead(d, { ...options, units: options.units ?? storedUnits(store, d) });
  const key = store.key(d.session.id);
  const state = new ReadState();
  const usage = new UsageMeter();
  const records: PassRecord[] = [];
  const requested = new Set<number>();
  let status: ReadResult['status'] = 'done';
  let reason = '';
  let saved = 0;
  let passes = plan.passes;
  const K = passes.length;
  let start = 0;
  let runId: number;
  let before = { input: 0, output: 0, cost: 0 as number | null };
  if (options.resume !== undefined) {
    const resumed = resumeRun(store, key, plan, options, d, state, requested);
    ({ runId, start, before } = resumed);
    passes = resumed.passes;
  } else {
    runId = store.write((db) => {
      db.run(
        `INSERT INTO progressive_runs (session, window_tokens, question, provider, model, plan, status, created_at) VALUES (?,?,?,?,?,?,?,?)`,
        [key, plan.window, options.question ?? '', provider.name, provider.model, JSON.stringify(planSummary(plan)), 'running', now().toISOString()],
      );
      return Number(db.exec('SELECT last_insert_rowid()')[0]!.values[0]![0]);
    });
  }

  try {
    for (let i = start; i < passes.length; i++) {
      let planned = passes[i]!;
      if (planned.task === 'add detail' && requested.size > 0 && !passes.slice(0, i).some((p) => p.task === 'add detail')) {
        // First detail pass: re-cut the detail passes around the turns the state asked for.
        passes = [...passes.slice(0, i), ...replanDetail(d, plan, passes.slice(i), [...requested])];
        planned = passes[i]!;
      }
      const record = await runPass(provider, d, plan, planned, K, state, options, usage);
      if (record.pass === 1 && record.status !== 'ok') {
        // Without a first outline the later passes have nothing to refine: start from the extractive R3.
        seedFromExtractive(state, d);
        record.status = 'fallback';
        record.stateAfter = state.markdown();
      }
      records.push(record);
      store.write((db) =>
        db.run(
          `INSERT INTO progressive_passes (run, pass, passes, task, level, turn_from, turn_to, event_from, event_to, prompt_tokens, slice_tokens, state_tokens, output_tokens, edits, state_after, state_json, detail, confidence, status, reason, created_at)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
          [runId, record.pass, K, record.task, record.level, record.turnFrom, record.turnTo, record.eventFrom, record.eventTo, record.promptTokens, record.sliceTokens, record.stateTokens, record.outputTokens, JSON.stringify(record.edits), record.stateAfter, JSON.stringify([...state.sections]), JSON.stringify(record.detailRequested), record.confidence, record.status, record.reason, now().toISOString()],
        ),
      );
      options.onPass?.(record);
      for (const t of record.detailRequested) if (d.turns.includes(t)) requested.add(t);
      if (options.question && record.confidence !== null && record.confidence >= (options.stopAt ?? 0.9) && i < passes.length - 1) {
        status = 'stopped-early';
        saved = passes.slice(i + 1).reduce((n, p) => n + p.promptTokens, 0);
        reason = `confidence ${record.confidence} after pass ${record.pass}: ${passes.length - i - 1} passes skipped`;
        break;
      }
    }
  } catch (err) {
    status = err instanceof LlmError && err.kind === 'aborted' ? 'cancelled' : 'failed';
    reason = err instanceof Error ? err.message : String(err);
    finish();
    // The user needs the run to resume it; the stored passes are kept.
    if (err instanceof Error) err.message += ` (read ${runId} stopped after ${records.length + start} of ${K} passes; continue it with --resume ${runId})`;
    throw err;
  }
  finish();
  return { runId, plan, passes: records, state: state.markdown(), status, saved, usage };

  function finish() {
    store.write((db) =>
      db.run(`UPDATE progressive_runs SET status = ?, reason = ?, final_state = ?, input_tokens = ?, output_tokens = ?, cost_usd = ?, finished_at = ? WHERE id = ?`, [
        status,
        reason,
        state.markdown(),
        before.input + usage.inputTokens,
        before.output + usage.outputTokens,
        before.cost === null || usage.costUsd === null ? null : before.cost + usage.costUsd,
        now().toISOString(),
        runId,
      ]),
    );
  }
}

async function runPass(
  provider: LlmProvider,
  d: DistilledSession,
  plan: ReadPlan,
  planned: PlannedPass,
  passes: number,
  state: ReadState,
  options: ReadOptions,
  usage: UsageMeter,
): Promise<PassRecord & { detailRequested: number[]; confidence: number | null }> {
  const s = planned.slice;
  const stateText = state.markdown();
  const parts = { pass: planned.pass, passes, task: planned.task, level: s.level, turnFrom: s.turnFrom, turnTo: s.turnTo, turns: d.turns.length, percentFrom: percentOf(s.turnFrom, d.turns.length, false), percentTo: percentOf(s.turnTo, d.turns.length, true), question: options.question, state: stateText, stateTokens: countExact(stateText), stateCap: plan.stateCap };
  let slice = s.text;
  let user = passUserPrompt({ ...parts, slice });
  // The plan sized the slice for a state at its cap; this makes the bound exact whatever happened.
  const room = plan.window - planned.maxOutput - countExact(PROGRESSIVE_SYSTEM) - countExact(user);
  if (room < 0) {
    slice = fitTokens(slice, countExact(slice) + room).text;
    user = passUserPrompt({ ...parts, slice });
  }
  const base = {
    pass: planned.pass,
    passes,
    task: planned.task,
    level: s.level,
    turnFrom: s.turnFrom,
    turnTo: s.turnTo,
    eventFrom: s.eventFrom,
    eventTo: s.eventTo,
    promptTokens: countExact(PROGRESSIVE_SYSTEM) + countExact(user),
    sliceTokens: countExact(slice),
    stateTokens: countExact(stateText),
  };
  let answer: string;
  let outputTokens = 0;
  try {
    const result = await provider.complete({ system: PROGRESSIVE_SYSTEM, messages: [{ role: 'user', content: user }], maxTokens: planned.maxOutput, temperature: 0, ...(options.signal ? { signal: options.signal } : {}) });
    usage.add(result);
    answer = result.text;
    outputTokens = result.usage.outputTokens;
  } catch (err) {
    // Configuration errors and cancellation end the read; a pass that kept failing is recorded and skipped.
    if (!(err instanceof LlmError) || !err.retryable) throw err;
    return { ...base, outputTokens, edits: [], stateAfter: stateText, status: 'failed', reason: err.message, detailRequested: [], confidence: null };
  }
  try {
    const parsed = parseAnswer(answer);
    state.apply(parsed.edits);
    const dropped = state.trimTo(plan.stateCap);
    return { ...base, outputTokens, edits: parsed.edits, stateAfter: state.markdown(), status: 'ok', reason: dropped ? `state over its cap of ${plan.stateCap} tokens: ${dropped} oldest bullets dropped` : '', detailRequested: parsed.detail, confidence: parsed.confidence };
  } catch (err) {
    if (!(err instanceof MalformedAnswerError)) throw err;
    return { ...base, outputTokens, edits: [], stateAfter: stateText, status: 'malformed', reason: err.message, detailRequested: [], confidence: null };
  }
}

/**
 * Loads a stored run to continue it: its state after the last stored pass, the DETAIL turns asked
 * so far, and the detail passes as they were re-cut (the schedule is deterministic, so re-cutting
 * with the same requests gives the same slices). Refuses a run of another session, window or
 * question, a finished run, and a session that changed since (its plan would differ).
 */
function resumeRun(store: Store, key: number, plan: ReadPlan, options: ReadOptions, d: DistilledSession, state: ReadState, requested: Set<number>) {
  const id = options.resume!;
  const row = one(store.db, 'SELECT session, window_tokens, question, status, plan, input_tokens, output_tokens, cost_usd FROM progressive_runs WHERE id = ?', [id]);
  if (!row) throw new Error(`no progressive read ${id}`);
  if (num(row.session) !== key || num(row.window_tokens) !== plan.window || str(row.question) !== (options.question ?? '')) {
    throw new Error(`read ${id} was of another session, window or question: resume it with the same ones`);
  }
  if (str(row.status) === 'done' || str(row.status) === 'stopped-early') throw new Error(`read ${id} is finished (${str(row.status)})`);
  const stored = json<{ passes?: { level: string; turns: number[] }[] }>(row.plan, {});
  const now = planSummary(plan) as { passes: { level: string; turns: number[] }[] };
  if (JSON.stringify(stored.passes?.map((p) => [p.level, p.turns])) !== JSON.stringify(now.passes.map((p) => [p.level, p.turns]))) {
    throw new Error(`the session changed since read ${id} started: start a new read`);
  }
  const done = all(store.db, 'SELECT pass, task, state_json, detail FROM progressive_passes WHERE run = ? ORDER BY pass', [id]);
  const beforeDetail = new Set<number>();
  for (const p of done) {
    const detail = json<number[]>(p.detail, []);
    for (const t of detail) if (d.turns.includes(t)) requested.add(t);
    if (str(p.task) !== 'add detail') for (const t of detail) if (d.turns.includes(t)) beforeDetail.add(t);
  }
  const last = done[done.length - 1];
  if (last) for (const [name, bullets] of json<[string, string[]][]>(last.state_json, [])) state.sections.set(name, bullets);
  let passes = plan.passes;
  const firstDetail = passes.findIndex((p) => p.task === 'add detail');
  if (firstDetail >= 0 && firstDetail < done.length && beforeDetail.size > 0) {
    passes = [...passes.slice(0, firstDetail), ...replanDetail(d, plan, passes.slice(firstDetail), [...beforeDetail])];
  }
  store.write((db) => db.run(`UPDATE progressive_runs SET status = 'running', reason = '' WHERE id = ?`, [id]));
  return { runId: id, start: done.length, passes, before: { input: num(row.input_tokens), output: num(row.output_tokens), cost: row.cost_usd === null ? null : num(row.cost_usd) } };
}

function replanDetail(d: DistilledSession, plan: ReadPlan, rest: readonly PlannedPass[], requested: number[]): PlannedPass[] {
  // Requested turns first, then the plan's own candidates, so the pass count (K) stays as planned.
  const ranked = [...requested, ...detailCandidates(d).filter((t) => !requested.includes(t))];
  const r1 = rest.filter((p) => p.slice.level === 'R1').length;
  const r0 = rest.filter((p) => p.slice.level === 'R0').length;
  const slices = [...detailSlices(d, ranked, 'R1', plan.sliceBudget, r1), ...detailSlices(d, ranked, 'R0', plan.sliceBudget, r0)];
  return rest.map((p, i) => {
    const slice = slices[i] ?? p.slice;
    return { ...p, slice, promptTokens: plan.instructionTokens + plan.stateCap + slice.tokens };
  });
}

function seedFromExtractive(state: ReadState, d: DistilledSession): void {
  const c = d.context;
  state.apply([
    { op: 'REPLACE', section: 'Outline', text: d.outlineMarkdown.split('\n').filter((l) => l.startsWith('- ')).join('\n') },
    { op: 'REPLACE', section: 'Key Decisions', text: c.decisions.map((x) => `${x.text} (turn ${x.turn})`).join('\n') },
    { op: 'REPLACE', section: 'Open Problems', text: c.openProblems.map((p) => `${p.signature} (turn ${p.turn})`).join('\n') },
  ]);
}

/** The plan as stored with a run: sizes and provenance, not the slice texts. */
export function planSummary(plan: ReadPlan): object {
  return {
    ...plan,
    passes: plan.passes.map((p) => ({ pass: p.pass, task: p.task, level: p.slice.level, turns: [p.slice.turnFrom, p.slice.turnTo], events: [p.slice.eventFrom, p.slice.eventTo], sliceTokens: p.slice.tokens, promptTokens: p.promptTokens, cut: p.slice.cut })),
  };
}
