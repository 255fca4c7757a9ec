// `loupe read <session> --window W [--question Q] [--plan]`: the progressive read (DESIGN §7).
// --plan prints the schedule offline; without it the passes run against a model provider chosen
// by --provider (anthropic, the default, or openai for an OpenAI-compatible endpoint). Keys come
// from the environment only (ANTHROPIC_API_KEY, OPENAI_API_KEY) and are never printed or stored.
import { writeFileSync } from 'node:fs';
import { initCodeFolding } from '../core/distill/code-fold';
import { ModelDistiller } from '../core/distill/model/distiller';
import { distillSession, distillSessionAsync } from '../core/distill/units';
import { AnthropicProvider } from '../core/llm/anthropic';
import { OpenAiCompatibleProvider } from '../core/llm/openai';
import type { LlmProvider } from '../core/llm/provider';
import { planRead, type ReadPlan, WindowTooSmallError } from '../core/progressive/plan';
import { planSummary, progressiveRead } from '../core/progressive/run';
import { storedUnits } from '../core/progressive/units-view';
import type { Store } from '../core/store/store';
import { parseBudget } from './compact';
import { UsageError } from './errors';
import { formatInt, table } from './format';

export interface ReadCommandOptions {
  window: string | undefined;
  question?: string;
  plan: boolean;
  json: boolean;
  provider?: string;
  model?: string;
  baseUrl?: string;
  out?: string;
  /** Run the model distiller (R2, R3) before reading, so the passes read the model's units. */
  distill?: boolean;
  /** A stored run id to continue. */
  resume?: string;
}

export async function readCommand(store: Store, ref: string, options: ReadCommandOptions): Promise<number> {
  if (options.window === undefined) throw new UsageError('read needs --window W (the model window, in tokens)');
  const window = parseBudget(options.window);
  await initCodeFolding();
  if (options.distill && options.plan) throw new UsageError('--distill needs a model: drop --plan');
  const provider = options.plan ? undefined : providerFromEnv(options);
  const controller = new AbortController();
  let d = distillSession(store, ref);
  const question = options.question?.trim() || undefined;
  const makePlan = (): ReadPlan => {
    try {
      return planRead(d, { window, units: storedUnits(store, d), ...(question ? { question } : {}) });
    } catch (err) {
      if (err instanceof WindowTooSmallError) throw new UsageError(err.message);
      throw err;
    }
  };
  let plan = makePlan();
  if (options.distill && provider) {
    const distiller = new ModelDistiller(provider, { window, signal: controller.signal });
    d = await distillSessionAsync(store, ref, distiller);
    const accepted = distiller.attempts.filter((a) => a.accepted).length;
    process.stderr.write(`loupe: model distiller: ${accepted} of ${distiller.attempts.length} units accepted (the others kept the extractive unit; reasons in distill_attempts): ${distiller.usage.describe()}\n`);
    plan = makePlan();
  }
  if (!provider) {
    process.stdout.write(options.json ? JSON.stringify(planSummary(plan), null, 2) + '\n' : describePlan(plan, d.session.title));
    return 0;
  }
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await progressiveRead(store, d, provider, {
      window,
      ...(question ? { question } : {}),
      signal: controller.signal,
      ...(options.resume !== undefined ? { resume: runNumber(options.resume) } : {}),
      onPass: (p) =>
        process.stderr.write(
          `loupe: pass ${p.pass}/${p.passes} ${p.task} ${p.level} turns ${p.turnFrom}–${p.turnTo}: ${formatInt(p.promptTokens)} tokens in, ${formatInt(p.outputTokens)} out, ${p.edits.length} edits${p.status === 'ok' ? '' : ` [${p.status}: ${p.reason}]`}\n`,
        ),
    });
    if (options.json) process.stdout.write(JSON.stringify({ runId: result.runId, status: result.status, state: result.state, passes: result.passes, saved: result.saved }, null, 2) + '\n');
    else if (options.out) writeFileSync(options.out, result.state);
    else process.stdout.write(result.state);
    process.stderr.write(`loupe: read ${result.status} (run ${result.runId}): ${result.usage.describe()}${result.saved ? `; stopped early, ${formatInt(result.saved)} tokens not read` : ''}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function runNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--resume needs a run number (printed by read), got "${value}"`);
  return n;
}

function providerFromEnv(options: ReadCommandOptions): LlmProvider {
  const kind = options.provider ?? process.env.LOUPE_PROVIDER ?? 'anthropic';
  const model = options.model ?? process.env.LOUPE_MODEL;
  const baseURL = options.baseUrl ?? process.env.LOUPE_BASE_URL;
  if (kind === 'anthropic') {
    const apiKey = process.env.ANTHROPIC_API_KEY;
    if (!apiKey) throw new UsageError('read needs a model: set ANTHROPIC_API_KEY, or use --provider openai --base-url URL --model M for a local model (or --plan, offline)');
    return new AnthropicProvider({ apiKey, ...(model ? { model } : {}), ...(baseURL ? { baseURL } : {}) });
  }
  if (kind === 'openai') {
    if (!baseURL || !model) throw new UsageError('--provider openai needs --base-url (e.g. http://localhost:11434/v1) and --model');
    const apiKey = process.env.OPENAI_API_KEY;
    return new OpenAiCompatibleProvider({ baseURL, model, ...(apiKey ? { apiKey } : {}) });
  }
  throw new UsageError(`--provider is anthropic or openai, got "${kind}"`);
}

export function describePlan(plan: ReadPlan, title: string): string {
  const n = plan.passes.length;
  const rows = plan.passes.map((p) => [
    `${p.pass}/${n}`,
    p.task,
    p.slice.level,
    p.slice.turnFrom === p.slice.turnTo ? `${p.slice.turnFrom}` : `${p.slice.turnFrom}–${p.slice.turnTo}`,
    `${pct(p.slice.turnFrom - 1, plan.turns)}–${pct(p.slice.turnTo, plan.turns)}%`,
    p.slice.tokens,
    p.promptTokens + p.maxOutput,
  ]);
  const ratio = plan.dense.totalRead / Math.max(1, plan.totalRead);
  const dense = plan.mode === 'dense';
  return [
    `${dense ? 'Dense' : 'Progressive'} read plan: ${title || plan.sessionId} — ${plan.turns} turns, window ${formatInt(plan.window)} tokens${plan.question ? `, question: ${plan.question}` : ''}`,
    `Mode: ${plan.mode} (${plan.reason}).`,
    `Each call: instructions ${formatInt(plan.instructionTokens)} + state ≤ ${formatInt(plan.stateCap)} + slice ≤ ${formatInt(plan.sliceBudget)} + answer ≤ ${formatInt(plan.outputCap)} = ${formatInt(plan.instructionTokens + plan.stateCap + plan.sliceBudget + plan.outputCap)} ≤ ${formatInt(plan.window)}`,
    '',
    table(['pass', 'task', 'level', 'turns', 'of session', 'slice', 'call ≤'], rows),
    '',
    `Total read: ${formatInt(plan.totalRead)} tokens in ${n} calls (prompts with the state at its cap).`,
    dense
      ? `Progressive passes: ${formatInt(plan.progressiveRead)} tokens, ${(plan.progressiveRead / Math.max(1, plan.totalRead)).toFixed(1)}× the dense read of the whole verbatim session (${formatInt(plan.dense.sessionTokens)} tokens) in window-sized slices, which this plan is.`
      : `Dense read: ${formatInt(plan.dense.totalRead)} tokens in ${plan.dense.calls} calls (the whole verbatim session, ${formatInt(plan.dense.sessionTokens)} tokens, in window-sized slices): ${ratio >= 1 ? `${ratio.toFixed(1)}× more` : `${(1 / ratio).toFixed(1)}× less`} than progressive.`,
    ...(dense ? [] : ['Detail passes (R1, R0) read the turns the state marks as needing detail; planned here: the turns the digests flag (errors, decisions, values, the last turn).']),
    '',
  ].join('\n');
}

function pct(turn: number, turns: number): number {
  return turns === 0 ? 0 : Math.round((100 * turn) / turns);
}
