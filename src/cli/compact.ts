// `loupe compact` and `loupe show --level`: the resolution ladder from the terminal.
import { writeFileSync } from 'node:fs';
import { compactSession } from '../core/assemble/compact';
import { initCodeFolding } from '../core/distill/code-fold';
import { renderDigest } from '../core/distill/digest';
import { renderTurnSharp } from '../core/distill/strip';
import { distillSession } from '../core/distill/units';
import { heading, raw, render } from '../core/markdown';
import type { Store } from '../core/store/store';
import { UsageError } from './errors';
import { formatInt } from './format';


export function parseBudget(value: string | undefined): number {
  if (value === undefined) throw new UsageError('compact needs --budget N (tokens)');
  const budget = Number(value.replace(/[_,]/g, '').replace(/k$/i, '000'));
  if (!Number.isInteger(budget) || budget <= 0) throw new UsageError(`--budget needs a positive number of tokens, got "${value}"`);
  return budget;
}

export async function compactCommand(
  store: Store,
  ref: string,
  options: { budget: number; query?: string; out?: string; json: boolean },
): Promise<number> {
  const result = await compactSession(store, ref, { budget: options.budget, ...(options.query ? { query: options.query } : {}) });
  const ratio = result.sessionTokens / Math.max(1, result.tokens);
  const counts = { R0: 0, R1: 0, R2: 0 };
  for (const level of result.levels.values()) if (level !== 'none') counts[level]++;
  const summary =
    `compacted ${formatInt(result.sessionTokens)} tokens to ${formatInt(result.tokens)} (budget ${formatInt(result.budget)}, ` +
    `${ratio.toFixed(1)}× smaller): ${result.header} + ${counts.R0} turns verbatim, ${counts.R1} stripped, ${counts.R2} as digests, ` +
    `${result.levels.size - counts.R0 - counts.R1 - counts.R2} in the working context only`;
  if (options.json) {
    process.stdout.write(
      JSON.stringify({ ...result, levels: Object.fromEntries(result.levels), ratio: Number(ratio.toFixed(2)) }, null, 2) + '\n',
    );
  } else if (options.out) {
    writeFileSync(options.out, result.markdown);
  } else {
    process.stdout.write(result.markdown);
  }
  process.stderr.write(`loupe: ${summary}${options.out ? ` → ${options.out}` : ''}\n`);
  return 0;
}

const LEVELS = ['R0', 'R1', 'R2', 'R3', 'R4'] as const;

/** A session at one resolution (optionally one turn). */
export async function showLevelCommand(store: Store, ref: string, levelArg: string, turn: number | undefined): Promise<number> {
  const level = levelArg.toUpperCase() as (typeof LEVELS)[number];
  if (!LEVELS.includes(level)) throw new UsageError(`--level is one of ${LEVELS.join(', ')}, got "${levelArg}"`);
  await initCodeFolding();
  const d = distillSession(store, ref);
  if (level === 'R3') {
    process.stdout.write(d.contextMarkdown);
    return 0;
  }
  if (level === 'R4') {
    process.stdout.write(d.outlineMarkdown);
    return 0;
  }
  const turns = turn === undefined ? d.turns : d.turns.filter((t) => t === turn);
  if (turns.length === 0) throw new Error(`session ${d.session.id} has no turn ${turn}`);
  const blocks = turns.flatMap((t) => {
    if (level === 'R2') return renderDigest(d.digests.get(t)!);
    return [heading(3, raw(`Turn ${t}`)), ...renderTurnSharp(d.analysis.turns.get(t)!, level === 'R0' ? 0 : 1, { analysis: d.analysis })];
  });
  process.stdout.write(render(blocks));
  return 0;
}
