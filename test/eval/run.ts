// The eval's run over every data set (see eval.ts for the method and the scoring rules).
import { join } from 'node:path';
import { compactSession } from '../../src/core/assemble/compact';
import { distillSession } from '../../src/core/distill/units';
import { ingestPaths } from '../../src/core/ingest';
import type { StoredEvent } from '../../src/core/model';
import { verbatimText } from '../../src/core/source';
import { openStore, type Store } from '../../src/core/store/store';
import { countExact } from '../../src/core/tokens/count';
import { BASELINES, contextEvents, cutToFit, renderVerbatim } from './baselines';
import { DATASETS } from './all-datasets';
import type { EvalDataset, EvalQuestion, Position, Where } from './datasets';
import { normalizeForMatch, questionKept } from './score';

export const RATIOS: readonly number[] = [5, 10, 20, 50];
export const METHODS = ['loupe', 'tail', 'head+tail', 'obs-masking', 'R3'] as const;
export type Method = (typeof METHODS)[number];

/** A question placed in its session: where its answer first occurs. */
export interface Located extends EvalQuestion {
  session: string;
  position: Position;
  where: Where;
}

interface Cell {
  questions: Located[];
  kept: boolean[];
  used: number;
  budget: number;
  overBudget: number;
  errors: string[];
}

const emptyCell = (): Cell => ({ questions: [], kept: [], used: 0, budget: 0, overBudget: 0, errors: [] });

/** Events as a verbatim context holds them: each read back whole from its transcript. */
function verbatimEvents(events: readonly StoredEvent[]): StoredEvent[] {
  return contextEvents(events).map((e) => (e.text.length < e.textLength ? { ...e, text: verbatimText(e) } : e));
}

function whereOf(e: StoredEvent): Where {
  switch (e.kind) {
    case 'user_prompt':
      return 'prompt';
    case 'assistant_text':
      return 'assistant';
    case 'tool_result':
      return 'tool_output';
    case 'tool_call':
      return ['Write', 'Edit', 'MultiEdit', 'NotebookEdit'].includes(e.toolName ?? '') ? 'edit' : 'tool_call';
    default:
      return 'other';
  }
}

/** Where a question's first literal first occurs; null when not every literal is in the session. */
export function locate(events: readonly StoredEvent[], q: EvalQuestion, label: string): Located | null {
  const texts = events.map((e) => normalizeForMatch(e.text));
  const whole = texts.join(' ');
  if (!q.answers.every((a) => whole.includes(normalizeForMatch(a)))) return null;
  const needle = normalizeForMatch(q.answers[0]!);
  let offset = 0;
  for (const [i, t] of texts.entries()) {
    const at = t.indexOf(needle);
    if (at >= 0) {
      const third = (offset + at) / Math.max(1, whole.length);
      return { ...q, session: label, position: third < 1 / 3 ? 'early' : third < 2 / 3 ? 'middle' : 'late', where: whereOf(events[i]!) };
    }
    offset += t.length + 1;
  }
  // Only across two events' boundary: count it where the session's text is.
  return { ...q, session: label, position: 'late', where: 'other' };
}

interface DatasetResult {
  dataset: EvalDataset;
  skipped?: string;
  reference?: string;
  sessions: string[];
  unanswerable: string[];
  cells: Map<string, Cell>;
}

async function runDataset(dataset: EvalDataset, root: string, repoRoot: string): Promise<DatasetResult> {
  const result: DatasetResult = { dataset, sessions: [], unanswerable: [], cells: new Map() };
  const prepared = dataset.prepare(join(root, dataset.name), repoRoot);
  if (typeof prepared === 'string') return { ...result, skipped: prepared };
  if (prepared.reference !== undefined) result.reference = prepared.reference;
  const cell = (ratio: number, method: Method) => {
    const key = `${ratio}:${method}`;
    if (!result.cells.has(key)) result.cells.set(key, emptyCell());
    return result.cells.get(key)!;
  };
  const store = await openStore(':memory:');
  try {
    const report = await ingestPaths(store, prepared.paths, { workerScript: null });
    if (report.issues.length > 0) result.sessions.push(`(${report.issues.length} lines skipped at ingest: ${report.issues[0]!.file}:${report.issues[0]!.line} ${report.issues[0]!.message})`);
    for (const s of prepared.sessions) {
      const events = verbatimEvents(store.events(s.sessionId));
      const verbatim = renderVerbatim(events);
      const total = countExact(verbatim);
      const located: Located[] = [];
      for (const q of s.questions) {
        const l = locate(events, q, s.label);
        if (l) located.push(l);
        else result.unanswerable.push(`${s.label} ${q.id}: ${q.answers.join(' | ')}`);
      }
      result.sessions.push(`${s.label}: ${store.turns(s.sessionId).length} turns, ${total.toLocaleString('en-US')} tokens, ${located.length} questions`);
      const r3 = distillSession(store, s.sessionId).contextMarkdown;
      for (const ratio of RATIOS) {
        const budget = Math.floor(total / ratio);
        const outputs = new Map<Method, string>();
        try {
          outputs.set('loupe', (await compactSession(store, s.sessionId, { budget })).markdown);
        } catch (err) {
          cell(ratio, 'loupe').errors.push(`${s.label} at 1/${ratio}: ${err instanceof Error ? err.message : String(err)}`);
          outputs.set('loupe', '');
        }
        for (const b of BASELINES) outputs.set(b.name === 'strip-tools' ? 'obs-masking' : b.name, b.run(events, budget));
        outputs.set('R3', cutToFit(r3, budget, 'start'));
        for (const [method, out] of outputs) {
          const c = cell(ratio, method);
          const normalized = normalizeForMatch(out);
          const used = countExact(out);
          c.questions.push(...located);
          c.kept.push(...located.map((q) => questionKept(normalized, q)));
          c.used += used;
          c.budget += budget;
          if (used > budget) c.overBudget++;
        }
      }
    }
  } finally {
    store.close();
  }
  return result;
}

const pct = (n: number, d: number) => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)}%`);

function share(c: Cell, pred: (q: Located) => boolean): string {
  let n = 0;
  let k = 0;
  c.questions.forEach((q, i) => {
    if (!pred(q)) return;
    n++;
    if (c.kept[i]) k++;
  });
  return n === 0 ? '–' : pct(k, n);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const POSITIONS: readonly Position[] = ['early', 'middle', 'late'];
const WHERES: readonly Where[] = ['prompt', 'assistant', 'tool_output', 'edit', 'tool_call'];

interface Target {
  name: string;
  met: boolean;
  detail: string;
}

function reportDataset(r: DatasetResult): Target[] {
  const { dataset } = r;
  console.log(`\n═══ ${dataset.name} (${dataset.kind}): ${dataset.description}`);
  if (r.skipped !== undefined) {
    console.log(`  skipped: ${r.skipped}`);
    return [];
  }
  for (const s of r.sessions) console.log(`  ${s}`);
  if (r.unanswerable.length > 0) console.log(`  left out, answer not in the verbatim session (${r.unanswerable.length}): ${r.unanswerable.slice(0, 5).join('; ')}${r.unanswerable.length > 5 ? ' …' : ''}`);
  const get = (ratio: number, m: Method) => r.cells.get(`${ratio}:${m}`) ?? emptyCell();
  const all = get(RATIOS[0]!, 'loupe').questions;
  console.log(`  ${all.length} questions; early / middle / late: ${POSITIONS.map((p) => all.filter((q) => q.position === p).length).join(' / ')}; answer in ${WHERES.map((w) => `${w} ${all.filter((q) => q.where === w).length}`).join(', ')}`);
  if (r.reference) console.log(`  for reference: ${r.reference}`);
  const rows: string[][] = [];
  for (const ratio of RATIOS) {
    for (const m of METHODS) {
      const c = get(ratio, m);
      const kept = c.kept.filter(Boolean).length;
      const over = c.overBudget > 0 ? ` OVER ×${c.overBudget}` : '';
      rows.push([
        m === 'loupe' ? `1/${ratio}` : '',
        m,
        pct(kept, c.kept.length),
        `${c.used.toLocaleString('en-US')} / ${c.budget.toLocaleString('en-US')} (${pct(c.used, c.budget)})${over}`,
        ...POSITIONS.map((p) => share(c, (q) => q.position === p)),
        ...WHERES.map((w) => share(c, (q) => q.where === w)),
      ]);
    }
  }
  console.log('');
  console.log(table(['ratio', 'method', 'retention', 'tokens used / budget', ...POSITIONS, ...WHERES], rows));

  const targets: Target[] = [];
  const kept = (ratio: number, m: Method) => get(ratio, m).kept.filter(Boolean).length;
  const n = all.length;
  const goal = dataset.kind === 'generated' ? { at10: 0.95, at50: 0.75 } : { at10: 0.85, at50: 0.5 };
  targets.push({ name: `${dataset.name} 1/10: Loupe answers ≥ ${goal.at10 * 100}%`, met: kept(10, 'loupe') >= goal.at10 * n, detail: pct(kept(10, 'loupe'), n) });
  targets.push({ name: `${dataset.name} 1/50: Loupe answers ≥ ${goal.at50 * 100}%`, met: kept(50, 'loupe') >= goal.at50 * n, detail: pct(kept(50, 'loupe'), n) });
  for (const ratio of RATIOS) {
    const best = METHODS.filter((m) => m !== 'loupe').map((m) => ({ m, k: kept(ratio, m) })).sort((a, b) => b.k - a.k)[0]!;
    targets.push({ name: `${dataset.name} 1/${ratio}: Loupe ahead of every baseline`, met: kept(ratio, 'loupe') > best.k, detail: `Loupe ${pct(kept(ratio, 'loupe'), n)}, best baseline ${best.m} ${pct(best.k, n)}` });
  }
  const over = RATIOS.reduce((s, ratio) => s + get(ratio, 'loupe').overBudget, 0);
  const errors = RATIOS.flatMap((ratio) => get(ratio, 'loupe').errors);
  targets.push({ name: `${dataset.name}: Loupe within budget, without errors`, met: over === 0 && errors.length === 0, detail: `${over} over budget, ${errors.length} errors` });
  for (const e of errors) console.log(`  ERROR ${e}`);
  return targets;
}

/** Runs every data set and prints the report; false when the harness itself failed. */
export async function runEval(root: string, repoRoot: string, only?: string): Promise<boolean> {
  const targets: Target[] = [];
  let harnessOk = true;
  console.log('Loupe eval. Budget = session tokens (countExact of its verbatim rendering) / ratio; tokens are countExact of each output.');
  console.log('A question is answered when all its literals occur in the output. Position and where are measured (eval.ts, rule 4).');
  for (const dataset of DATASETS) {
    if (only !== undefined && dataset.name !== only) continue;
    const result = await runDataset(dataset, root, repoRoot);
    if (dataset.kind === 'generated' && result.unanswerable.length > 0) harnessOk = false;
    if ([...result.cells.values()].some((c) => c.errors.length > 0)) harnessOk = false;
    targets.push(...reportDataset(result));
  }
  console.log('\nTargets:');
  for (const t of targets) console.log(`  ${t.met ? '[met]   ' : '[MISSED]'} ${t.name} (${t.detail})`);
  const missed = targets.filter((t) => !t.met).length;
  console.log(missed === 0 ? '\nAll targets met.' : `\nMISSED ${missed} of ${targets.length} targets.`);
  return harnessOk;
}
