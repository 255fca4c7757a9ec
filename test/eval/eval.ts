// `npm run eval`: does compaction keep what matters? Generated Claude Code sessions with planted
// facts (planted.ts) are ingested into an in-memory store, compacted by Loupe and by three naive
// baselines (baselines.ts) at several budgets, and each output is checked for the facts' answers.
// A report: it prints a table and whether the targets are met, and exits 0 even when they are not
// (1 only when the harness itself fails: a planting bug, or compactSession throwing).
//
// Budgets. A session's size is countExact (gpt-tokenizer) of its verbatim rendering: the main
// line's prompts, assistant texts, tool calls, tool outputs and compaction summaries, rendered as
// the baselines render them (thinking and bookkeeping records are left out; see baselines.ts).
// The budget at ratio 1/n is floor(size / n). Every output is measured the same way: countExact of
// the whole markdown.
//
// Scoring rules.
// 1. Matching is on normalized text: markdown backslash escapes are undone (`\_` → `_`), the
//    entities &amp; &lt; &gt; &quot; &#39; decoded, every run of whitespace becomes one space, and
//    case is ignored. The same normalization applies to answers.
// 2. A fact is kept when its answer occurs in the output.
// 3. A revised fact is kept only when its new value occurs and its stale value does not occur after
//    the new value's last occurrence. The output is ordered in time (DESIGN §5), so the value a
//    reader meets last is the one they take as current: "3000, then 8443" is history and passes,
//    "8443 … 3000" (or 3000 alone) presents the old value as current and fails.
// 4. Shares are pooled over all sessions: retention = kept facts / all facts (revised facts under
//    rule 3); current-state = kept current-state facts / current-state facts; revised→newest =
//    revised facts kept under rule 3 / revised facts.
//
// Before scoring, the harness checks the planting: every answer must first occur in the turn the
// fact names, every stale value in its staleTurn, and the verbatim rendering must score 100%.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactSession } from '../../src/core/assemble/compact';
import { ingestPaths } from '../../src/core/ingest';
import type { StoredEvent } from '../../src/core/model';
import { openStore } from '../../src/core/store/store';
import { countExact } from '../../src/core/tokens/count';
import { BASELINES, contextEvents, renderVerbatim } from './baselines';
import { EVAL_SESSIONS, type FactKind, type PlantedFact, plantedSession, writePlanted } from './planted';
import { progressiveEval } from './progressive';

// ── scoring ──────────────────────────────────────────────────────────────────

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

export function normalizeForMatch(text: string): string {
  return text
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e)
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Whether one fact is kept in an already normalized output (rules 2 and 3). */
export function factKept(normalizedOutput: string, fact: Pick<PlantedFact, 'answer' | 'stale'>): boolean {
  const at = normalizedOutput.lastIndexOf(normalizeForMatch(fact.answer));
  if (at < 0) return false;
  if (fact.stale === undefined) return true;
  return normalizedOutput.lastIndexOf(normalizeForMatch(fact.stale)) < at;
}

export interface Score {
  facts: number;
  kept: number;
  currentState: number;
  currentStateKept: number;
  revised: number;
  revisedNewest: number;
  /** Per fact, in the order given. */
  perFact: boolean[];
}

export function scoreOutput(output: string, facts: readonly Pick<PlantedFact, 'kind' | 'answer' | 'stale'>[]): Score {
  const text = normalizeForMatch(output);
  const perFact = facts.map((f) => factKept(text, f));
  const count = (pred: (f: (typeof facts)[number], kept: boolean) => boolean) => facts.filter((f, i) => pred(f, perFact[i]!)).length;
  return {
    facts: facts.length,
    kept: count((_, k) => k),
    currentState: count((f) => f.kind === 'current-state'),
    currentStateKept: count((f, k) => f.kind === 'current-state' && k),
    revised: count((f) => f.kind === 'revised'),
    revisedNewest: count((f, k) => f.kind === 'revised' && k),
    perFact,
  };
}

// ── planting checks ──────────────────────────────────────────────────────────

export interface LocatedFact extends PlantedFact {
  session: string;
  /** Third of the session the answer was planted in. */
  position: 'early' | 'middle' | 'late';
  /** In its planting turn the answer occurs in tool outputs only. */
  toolOnly: boolean;
}

interface NormalizedEvent {
  turn: number;
  kind: StoredEvent['kind'];
  text: string;
}

function firstWith(events: readonly NormalizedEvent[], needle: string): NormalizedEvent | undefined {
  const n = normalizeForMatch(needle);
  return events.find((e) => e.text.includes(n));
}

function locate(session: string, turns: number, events: readonly NormalizedEvent[], fact: PlantedFact): LocatedFact {
  const first = firstWith(events, fact.answer);
  if (first?.turn !== fact.turn) throw new Error(`planting bug (${fact.id}): answer first in turn ${first?.turn}, planted in ${fact.turn}`);
  if (fact.stale !== undefined && firstWith(events, fact.stale)?.turn !== fact.staleTurn) throw new Error(`planting bug (${fact.id}): stale value not first in turn ${fact.staleTurn}`);
  const n = normalizeForMatch(fact.answer);
  const carriers = events.filter((e) => e.turn === fact.turn && e.text.includes(n));
  const third = fact.turn / turns;
  return { ...fact, session, position: third <= 1 / 3 ? 'early' : third <= 2 / 3 ? 'middle' : 'late', toolOnly: carriers.every((e) => e.kind === 'tool_result') };
}

// ── the run ──────────────────────────────────────────────────────────────────

export const RATIOS: readonly number[] = [5, 10, 20, 50];
const METHODS = ['loupe', ...BASELINES.map((b) => b.name)] as const;
type Method = (typeof METHODS)[number];

interface Cell {
  score: Score;
  facts: LocatedFact[];
  used: number;
  budget: number;
  overBudget: number;
  /** Runs where the method's own token count differed from countExact of its output. */
  miscounted: number;
  errors: string[];
}

function emptyCell(): Cell {
  return { score: { facts: 0, kept: 0, currentState: 0, currentStateKept: 0, revised: 0, revisedNewest: 0, perFact: [] }, facts: [], used: 0, budget: 0, overBudget: 0, miscounted: 0, errors: [] };
}

function addScore(into: Cell, s: Score, facts: readonly LocatedFact[], used: number, budget: number): void {
  const t = into.score;
  t.facts += s.facts;
  t.kept += s.kept;
  t.currentState += s.currentState;
  t.currentStateKept += s.currentStateKept;
  t.revised += s.revised;
  t.revisedNewest += s.revisedNewest;
  t.perFact.push(...s.perFact);
  into.facts.push(...facts);
  into.used += used;
  into.budget += budget;
  if (used > budget) into.overBudget++;
}

const pct = (n: number, d: number) => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)}%`);
const share = (c: Cell, pred: (f: LocatedFact) => boolean) => {
  const idx = c.facts.map((f, i) => (pred(f) ? i : -1)).filter((i) => i >= 0);
  return pct(idx.filter((i) => c.score.perFact[i]).length, idx.length);
};
const thousands = (n: number) => n.toLocaleString('en-US');

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'loupe-eval-'));
  const cells = new Map<string, Cell>();
  const cell = (ratio: number, method: Method) => {
    const key = `${ratio}:${method}`;
    if (!cells.has(key)) cells.set(key, emptyCell());
    return cells.get(key)!;
  };
  let harnessFailed = false;
  const sizes: string[] = [];
  try {
    const planted = EVAL_SESSIONS.map((o) => plantedSession(o));
    writePlanted(root, planted);
    const store = await openStore(':memory:');
    await ingestPaths(store, [root], { workerScript: null });
    for (const p of planted) {
      const events = store.events(p.sessionId);
      const normalized = contextEvents(events).map((e) => ({ turn: e.turn, kind: e.kind, text: normalizeForMatch(e.text) }));
      const facts = p.facts.map((f) => locate(p.label, p.turns, normalized, f));
      const verbatim = renderVerbatim(events);
      const total = countExact(verbatim);
      const full = scoreOutput(verbatim, facts);
      if (full.kept !== full.facts) throw new Error(`planting bug (${p.label}): the verbatim session keeps ${full.kept} of ${full.facts} facts`);
      sizes.push(`${p.label}: ${p.turns} turns, ${thousands(total)} tokens, ${facts.length} facts`);
      for (const ratio of RATIOS) {
        const budget = Math.floor(total / ratio);
        let markdown = '';
        try {
          const r = await compactSession(store, p.sessionId, { budget });
          markdown = r.markdown;
          if (r.tokens !== countExact(markdown)) cell(ratio, 'loupe').miscounted++;
        } catch (err) {
          cell(ratio, 'loupe').errors.push(`${p.label} at 1/${ratio}: ${err instanceof Error ? err.message : String(err)}`);
          harnessFailed = true;
        }
        addScore(cell(ratio, 'loupe'), scoreOutput(markdown, facts), facts, countExact(markdown), budget);
        for (const b of BASELINES) {
          const out = b.run(events, budget);
          addScore(cell(ratio, b.name), scoreOutput(out, facts), facts, countExact(out), budget);
        }
      }
    }
    store.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  report(sizes, cells);
  await progressiveEval(scoreOutput); // issue 5: the progressive read (test/eval/progressive.ts)
  if (harnessFailed) process.exitCode = 1;
}

function report(sizes: readonly string[], cells: ReadonlyMap<string, Cell>): void {
  const get = (ratio: number, method: Method) => cells.get(`${ratio}:${method}`) ?? emptyCell();
  const all = get(RATIOS[0]!, 'loupe').facts;
  const kinds: FactKind[] = ['decision', 'final-value', 'error-message', 'current-state', 'revised'];
  console.log(`Loupe eval: ${sizes.length} generated sessions, ${all.length} planted facts (${kinds.map((k) => `${all.filter((f) => f.kind === k).length} ${k}`).join(', ')})`);
  console.log(`  planted early / middle / late in their session: ${(['early', 'middle', 'late'] as const).map((p) => all.filter((f) => f.position === p).length).join(' / ')}; in tool output only: ${all.filter((f) => f.toolOnly).length}`);
  for (const s of sizes) console.log(`  ${s}`);
  console.log('Budget = session tokens (countExact of its verbatim rendering) / ratio; tokens below are countExact of each output.\n');
  const rows: string[][] = [];
  const detail: string[][] = [];
  for (const ratio of RATIOS) {
    for (const m of METHODS) {
      const c = get(ratio, m);
      const s = c.score;
      const over = c.overBudget > 0 ? ` OVER BUDGET ×${c.overBudget}` : '';
      rows.push([m === 'loupe' ? `1/${ratio}` : '', m, pct(s.kept, s.facts), pct(s.currentStateKept, s.currentState), pct(s.revisedNewest, s.revised), `${thousands(c.used)} / ${thousands(c.budget)}${over}`]);
      detail.push([m === 'loupe' ? `1/${ratio}` : '', m, ...kinds.map((k) => share(c, (f) => f.kind === k)), share(c, (f) => f.toolOnly), ...(['early', 'middle', 'late'] as const).map((p) => share(c, (f) => f.position === p))]);
    }
  }
  console.log(table(['ratio', 'method', 'retention', 'current-state', 'revised→newest', 'tokens used / budget'], rows));
  console.log('\nRetention by kind, by where the answer lives, and by where in the session it was planted:\n');
  console.log(table(['ratio', 'method', 'decision', 'final-value', 'error', 'current', 'revised', 'tool-output-only', 'early', 'middle', 'late'], detail));

  const targets: { name: string; met: boolean; detail: string }[] = [];
  const loupe = (r: number) => get(r, 'loupe').score;
  targets.push({ name: '1/10: Loupe keeps ≥ 90% of facts', met: loupe(10).kept >= 0.9 * loupe(10).facts, detail: pct(loupe(10).kept, loupe(10).facts) });
  targets.push({ name: '1/10: Loupe keeps 100% of current-state facts', met: loupe(10).currentStateKept === loupe(10).currentState, detail: pct(loupe(10).currentStateKept, loupe(10).currentState) });
  targets.push({ name: '1/50: Loupe keeps ≥ 60% of facts', met: loupe(50).kept >= 0.6 * loupe(50).facts, detail: pct(loupe(50).kept, loupe(50).facts) });
  for (const ratio of RATIOS) {
    const best = BASELINES.map((b) => ({ name: b.name, kept: get(ratio, b.name).score.kept })).sort((a, b) => b.kept - a.kept)[0]!;
    const l = loupe(ratio);
    targets.push({ name: `1/${ratio}: Loupe ahead of every baseline`, met: l.kept > best.kept, detail: `Loupe ${pct(l.kept, l.facts)}, best baseline ${best.name} ${pct(best.kept, l.facts)}` });
  }
  const over = RATIOS.reduce((n, r) => n + get(r, 'loupe').overBudget, 0);
  const errors = RATIOS.flatMap((r) => get(r, 'loupe').errors);
  const miscounted = RATIOS.reduce((n, r) => n + get(r, 'loupe').miscounted, 0);
  if (miscounted > 0) console.log(`\nNote: in ${miscounted} runs Loupe's reported tokens differ from countExact of its markdown (the table uses countExact).`);
  targets.push({ name: 'Loupe within budget, without errors, in every run', met: over === 0 && errors.length === 0, detail: `${over} over budget, ${errors.length} errors` });
  console.log('\nTargets:');
  for (const t of targets) console.log(`  ${t.met ? '[met]   ' : '[MISSED]'} ${t.name} (${t.detail})`);
  for (const e of errors) console.log(`  ERROR ${e}`);
  const missed = targets.filter((t) => !t.met).length;
  console.log(missed === 0 ? '\nAll targets met.' : `\nMISSED ${missed} of ${targets.length} targets.`);
}

// Runs when this bundle is the entry point, and not under `node --test`, which runs every .js file
// under out/test/ (this one included) and must not start the whole eval.
if (/[\\/]eval\.[cm]?js$/.test(process.argv[1] ?? '') && process.env.NODE_TEST_CONTEXT === undefined) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
