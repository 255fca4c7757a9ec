// Compaction: one markdown document for a token budget (DESIGN §5).
//
//   working context (R3, or the R4 outline when R3 does not fit)
//   code in focus   (the task's files, folded: kept by relevance, not time)
//   turns, in order (each at the sharpest level the budget allows under temporal decay)
//
// Turns start from their default: the recent ones at their digest, the older ones represented by
// the working context alone (their digests were archived into it). Pins (the last prompt, open
// errors, files being edited) and a query raise turns; then the budget left is spent where it
// buys the most, recent and relevant first. The whole output is counted with gpt-tokenizer and
// never exceeds the budget.
import { mainArg, shortPath } from '../distill/analysis';
import { foldCode, initCodeFolding } from '../distill/code-fold';
import { renderWorkingContext, TIGHTER_CONTEXTS } from '../distill/context';
import { digestPlainText, renderDigest } from '../distill/digest';
import { anchor, renderTurnSharp, type RenderContext } from '../distill/strip';
import { distillSession, type DistilledSession } from '../distill/units';
import { type Block, code, codeBlock, heading, type Inline, list, paragraph, raw, render, strong, text } from '../markdown';
import type { StoredEvent } from '../model';
import { recordTouches } from '../recall/recall';
import { verbatimText } from '../source';
import type { Store } from '../store/store';
import { countExact } from '../tokens/count';
import { selectUnits, sessionUnits, termsOf, type Unit } from './salience';
import { computeTaskState, isFocusFile, type TaskState } from './task-state';

export interface CompactOptions {
  budget: number;
  query?: string;
  now?: () => Date;
  /** Only turns fromTurn..toTurn (inclusive): the others are left out, archived ones in the range come back at their digest. */
  fromTurn?: number;
  toTurn?: number;
}

/** Levels of a turn, blurry to sharp. 'none': the working context's timeline stands for it. */
export type TurnLevel = 'none' | 'R2' | 'R1' | 'R0';

export interface CompactResult {
  markdown: string;
  tokens: number;
  budget: number;
  /** Tokens of the session at R0 (the sum of its events), for the compression ratio. */
  sessionTokens: number;
  levels: Map<number, TurnLevel>;
  header: 'R3' | 'R4';
}

export class BudgetTooSmallError extends Error {}

const HALF_LIFE_TURNS = 6;
/** Share of the budget the code section may take. */
const CODE_SHARE = 0.15;
const LEVELS: TurnLevel[] = ['none', 'R2', 'R1', 'R0'];
/** What one step sharper is worth, before weighting by the turn's priority. */
const GAIN: Record<TurnLevel, number> = { none: 0, R2: 1, R1: 0.6, R0: 0.3 };

export async function compactSession(store: Store, sessionRef: string, options: CompactOptions): Promise<CompactResult> {
  await initCodeFolding();
  const d = distillSession(store, sessionRef, options.now);
  const result = assemble(d, options);
  // What a compaction shows counts as recalled: the forget rule leaves it sharp (lifecycle/forget.ts).
  const shown = [...result.levels].filter(([, level]) => level !== 'none');
  recordTouches(store, shown.map(([turn, level]) => ({ sessionId: d.session.id, turn, level: level === 'R2' ? 'R2' : 'R0' })), options.now);
  return result;
}

interface TurnPlan {
  turn: number;
  events: StoredEvent[];
  priority: number;
  level: TurnLevel;
  /** The least this turn is shown at (pins). */
  floor: TurnLevel;
  cost: Map<TurnLevel, number>;
  blocks: Map<TurnLevel, Block[]>;
}

export function assemble(d: DistilledSession, options: CompactOptions): CompactResult {
  const budget = Math.floor(options.budget);
  const state = computeTaskState(d, options.query);
  const sessionTokens = d.events.reduce((n, e) => n + e.tokens, 0);
  const cwd = d.session.cwd;

  const ctx: RenderContext = { analysis: d.analysis, foldRead: (ev, source) => foldRead(ev, source, state, cwd) };
  const head = headerBlocks(d, budget, sessionTokens);
  const headTokens = countExact(render(head));
  const top = topOfDocument(d, budget, budget - headTokens - 2);
  const header = top.header;
  let used = headTokens + top.tokens + 2;

  const code = codeSection(d, state, Math.floor((budget - used) * CODE_SHARE));
  used += code.tokens;

  const plans = planTurns(d, state, options);
  used += spend(plans, Math.floor((budget - used) * TURN_SHARE), ctx);

  let excerpts: Unit[] = [];
  const build = () => {
    const blocks: Block[] = [...head];
    blocks.push(raw0(top.markdown));
    blocks.push(...code.blocks);
    const byTurn = excerptsByTurn(excerpts);
    const shown = plans.filter((p) => p.level !== 'none' || byTurn.has(p.turn));
    if (shown.length > 0) blocks.push(heading(2, raw('Turns')));
    for (const p of shown) {
      const more = byTurn.get(p.turn);
      if (p.level !== 'none') blocks.push(...p.blocks.get(p.level)!);
      // A turn shown only by its excerpts is named in its first item, not by a heading of its own.
      if (more) blocks.push(renderExcerpts(more, d, p.level === 'none' ? p.turn : undefined));
    }
    return render(blocks);
  };
  let markdown = build();
  let tokens = countExact(markdown);
  // What the turns' levels left is filled by salience: the lines that add most to what the
  // document already says, per token (salience.ts). Costs are estimates and only the whole is
  // counted exactly, so each round keeps the longest prefix of its choice that fits, and a next
  // round spends what the estimates left over.
  const candidates = excerptCandidates(plans);
  for (let round = 0; round < 3 && budget - tokens >= MIN_EXCERPT_ROOM; round++) {
    const taken = new Set(excerpts);
    const pick = chooseExcerpts(candidates.filter((u) => !taken.has(u)), plans, markdown, budget - tokens);
    if (pick.length === 0) break;
    const before = excerpts;
    let lo = 0;
    let hi = pick.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      excerpts = [...before, ...pick.slice(0, mid)];
      if (countExact(build()) <= budget) lo = mid;
      else hi = mid - 1;
    }
    excerpts = [...before, ...pick.slice(0, lo)];
    markdown = build();
    tokens = countExact(markdown);
    if (lo === 0) break;
  }
  // The parts were counted one by one; joining them can add a few tokens. Give back the least
  // valuable sharpening until the whole fits.
  while (tokens > budget) {
    const victim = leastValuable(plans);
    if (!victim) break;
    victim.level = LEVELS[LEVELS.indexOf(victim.level) - 1]!;
    markdown = build();
    tokens = countExact(markdown);
  }
  if (tokens > budget) {
    throw new BudgetTooSmallError(`a budget of ${budget} tokens is too small for this session (needs at least ${tokens})`);
  }
  return { markdown, tokens, budget, sessionTokens, levels: new Map(plans.map((p) => [p.turn, p.level])), header };
}

/** R3 gets at most this share of the budget, so that the recent turns keep room. */
const CONTEXT_SHARE = 0.7;
/**
 * Share of what is left after the working context that turn levels (digest, stripped, verbatim by
 * recency) may take; the rest, and whatever they leave, is filled by salience. Spent whole on turn
 * levels, the budget went to the newest turns' boilerplate while unique early facts were dropped.
 * Measured with `npm run eval` (questions answered at 1/5, 1/10, 1/20, 1/50), with salience on:
 * at 1.0, generator2 66.7/53.7/51.9/42.6%, corpus 50.3/31.1/19.2/9.9%; at 0.8, generator2
 * 90.7/88.9/74.1/55.6%, corpus 50.3/31.1/21.9/9.9%, the generator and lore within one question.
 * 0.6 gained a little more on generator2 but lost 6.6 points on the corpus at 1/5.
 */
const TURN_SHARE = 0.8;

/**
 * The working context in the richest form that leaves room for the turns; a tighter form when the
 * budget is small; the R4 outline when even the tightest does not fit.
 */
function topOfDocument(d: DistilledSession, budget: number, available: number): { header: 'R3' | 'R4'; markdown: string; tokens: number } {
  const forms = [d.contextMarkdown, ...TIGHTER_CONTEXTS.map((limits) => render(renderWorkingContext(d.context, limits)))];
  const counted = forms.map((markdown) => ({ markdown, tokens: countExact(markdown) }));
  const roomy = counted.find((f) => f.tokens <= available * CONTEXT_SHARE);
  const fits = roomy ?? counted.find((f) => f.tokens <= available);
  if (fits) return { header: 'R3', ...fits };
  const outline = countExact(d.outlineMarkdown);
  if (outline <= available) return { header: 'R4', markdown: d.outlineMarkdown, tokens: outline };
  throw new BudgetTooSmallError(
    `a budget of ${budget} tokens is too small for this session: even its outline needs ${outline + budget - available} tokens`,
  );
}

/** A markdown string already rendered (the stored R3/R4 units) as a block. */
function raw0(markdown: string): Block {
  return paragraph(raw(markdown.trimEnd()));
}

function headerBlocks(d: DistilledSession, budget: number, sessionTokens: number): Block[] {
  const s = d.session;
  const span = s.startedAt ? ` · ${s.startedAt.slice(0, 16).replace('T', ' ')} → ${s.updatedAt.slice(0, 16).replace('T', ' ')}` : '';
  return [
    heading(1, raw('Session context: '), text(s.title || s.id)),
    paragraph(
      raw(`Session ${s.id} · ${d.turns.length} turns${span} · ${sessionTokens.toLocaleString('en-US')} tokens compacted to fit ${budget.toLocaleString('en-US')}. `),
      raw('Anchors (↗ e123) name events; `loupe show e123` prints one in full.'),
    ),
  ];
}

/** Priorities, pins and the renderings of every turn at every level (counted once). */
function planTurns(d: DistilledSession, state: TaskState, range: Pick<CompactOptions, 'fromTurn' | 'toTurn'> = {}): TurnPlan[] {
  const ranged = range.fromTurn !== undefined || range.toTurn !== undefined;
  const turns = d.turns.filter((t) => t >= (range.fromTurn ?? -Infinity) && t <= (range.toTurn ?? Infinity));
  const lastTurn = turns[turns.length - 1] ?? 0;
  const relevance = queryRelevance(d, state);
  const openErrorTurns = new Set(d.context.openProblems.map((p) => d.analysis.byId.get(p.anchor)?.turn));
  const lastPromptTurn = [...turns].reverse().find((t) => d.digests.get(t)!.promptId !== null);
  return turns.map((turn) => {
    const digest = d.digests.get(turn)!;
    const events = d.analysis.turns.get(turn)!;
    const decay = Math.pow(0.5, (lastTurn - turn) / HALF_LIFE_TURNS);
    const rel = relevance.get(turn) ?? 0;
    let floor: TurnLevel = d.archived.has(turn) && rel === 0 && !ranged ? 'none' : 'R2';
    if (turn === lastPromptTurn || openErrorTurns.has(turn)) floor = 'R1';
    else if (digest.edited.some((e) => state.focusFiles.has(e.path)) && turn > lastTurn - 3) floor = 'R2';
    const blocks = new Map<TurnLevel, Block[]>([
      ['none', []],
      ['R2', renderDigest(digest)],
    ]);
    const cost = new Map<TurnLevel, number>([['none', 0]]);
    cost.set('R2', countExact(render(blocks.get('R2')!)));
    // A turn that only read what a later read or edit replaced has little left to say sharply
    // (recall down-weights those reads too): it keeps its floor but comes after the others.
    const weight = onlySupersededReads(events, d) ? SUPERSEDED_PRIORITY : 1;
    const plan: TurnPlan = { turn, events, priority: (decay + 2 * rel) * weight, level: 'none', floor, cost, blocks };
    return plan;
  });
}

/** Renders (and counts) a turn at R1/R0 only when the budget walk asks for it. */
function costOf(plan: TurnPlan, level: TurnLevel, ctx: RenderContext): number {
  let cost = plan.cost.get(level);
  if (cost === undefined) {
    const blocks = [turnHeading(plan.turn, plan.events), ...renderTurnSharp(plan.events, level === 'R0' ? 0 : 1, ctx)];
    plan.blocks.set(level, blocks);
    cost = countExact(render(blocks));
    plan.cost.set(level, cost);
  }
  return cost;
}

function turnHeading(turn: number, events: readonly StoredEvent[]): Block {
  const ts = events.find((e) => e.ts)?.ts ?? '';
  return heading(3, raw(`Turn ${turn}${ts ? ` · ${ts.slice(0, 16).replace('T', ' ')}` : ''}`));
}

/** Estimated tokens of the label a turn shown only by its excerpts needs (`**Turn 12** ·`). */
const EXCERPT_TURN_COST = 6;

/** Below this many tokens left, no round of excerpts is tried. */
const MIN_EXCERPT_ROOM = 24;

/**
 * The lines salience may add: every source from turns shown as a digest or not at all, tool
 * output only from stripped turns (R1 already has the prose and calls), nothing from verbatim ones.
 */
function excerptCandidates(plans: readonly TurnPlan[]): Unit[] {
  const eligible = new Map(plans.filter((p) => p.level !== 'R0').map((p) => [p.turn, p]));
  return sessionUnits(plans.flatMap((p) => (eligible.has(p.turn) ? p.events : []))).filter(
    (u) => eligible.get(u.turn)!.level !== 'R1' || u.source === 'output',
  );
}

/** Lines chosen by salience for `available` tokens, given what the document already says. */
function chooseExcerpts(units: readonly Unit[], plans: readonly TurnPlan[], document: string, available: number): Unit[] {
  if (units.length === 0) return [];
  const priority = new Map(plans.map((p) => [p.turn, p.priority]));
  const covered = new Set(termsOf(document));
  // Recency and relevance are factors, not the order: an old turn keeps half its weight.
  const turnWeight = (turn: number) => 0.5 + (priority.get(turn) ?? 0);
  const level = new Map(plans.map((p) => [p.turn, p.level]));
  // A turn shown at no level needs a heading for its excerpts; one already shown, only a list.
  const turnCost = (turn: number) => (level.get(turn) === 'none' ? EXCERPT_TURN_COST : 3);
  return selectUnits(units, available, { turnWeight, covered, turnCost });
}

function excerptsByTurn(units: readonly Unit[]): Map<number, Unit[]> {
  const out = new Map<number, Unit[]>();
  for (const u of [...units].sort((a, b) => a.order - b.order)) {
    let list = out.get(u.turn);
    if (!list) out.set(u.turn, (list = []));
    list.push(u);
  }
  return out;
}

const EXCERPT_LABEL: Record<Unit['source'], string> = { prompt: 'User:', assistant: 'Assistant:', call: '→', edit: 'Edit', output: 'Output' };

/** A turn's excerpts: one item per event, its lines joined, each with its count and anchor. */
function renderExcerpts(units: readonly Unit[], d: DistilledSession, turn?: number): Block {
  const items: Inline[][] = [];
  let current: { event: number; item: Inline[] } | null = null;
  for (const u of units) {
    const line: Inline[] = [text(u.text), ...(u.copies > 1 ? [raw(` (×${u.copies})`)] : [])];
    if (current && current.event === u.event.id && u.source !== 'call') {
      current.item.push(raw(' · '), ...line);
      continue;
    }
    if (current) current.item.push(raw(` ${anchor(current.event)}`));
    let label = EXCERPT_LABEL[u.source];
    if (u.source === 'output' || u.source === 'edit') {
      const call = u.source === 'output' ? d.analysis.callOf.get(u.event.id) : u.event;
      const arg = mainArg(call, d.session.cwd);
      label = `${label} (${u.event.toolName ?? 'tool'}${arg ? ` ${arg}` : ''}):`;
    }
    const item: Inline[] = [strong(raw(label)), raw(' '), ...(u.source === 'call' ? [code(u.text)] : line)];
    items.push(item);
    current = { event: u.event.id, item };
  }
  if (current) current.item.push(raw(` ${anchor(current.event)}`));
  if (turn !== undefined && items[0]) items[0].unshift(strong(raw(`Turn ${turn}`)), raw(' · '));
  return list(items);
}

/**
 * Spends `available` tokens: pins first (at their floor, or as close below as fits), then the
 * step that buys the most per token, until nothing more fits. Returns the tokens it used.
 */
function spend(plans: TurnPlan[], available: number, ctx: RenderContext): number {
  let left = available;
  const margin = (p: TurnPlan) => (p.level === 'none' ? 2 : 0); // blank lines between blocks
  const byPriority = [...plans].sort((a, b) => b.priority - a.priority || b.turn - a.turn);
  for (const p of byPriority) {
    for (let i = LEVELS.indexOf(p.floor); i > 0; i--) {
      const level = LEVELS[i]!;
      const extra = costOf(p, level, ctx) - costOf(p, p.level, ctx) + margin(p);
      if (extra <= left) {
        p.level = level;
        left -= extra;
        break;
      }
    }
  }
  for (;;) {
    let best: { plan: TurnPlan; level: TurnLevel; extra: number; value: number } | null = null;
    for (const p of plans) {
      const i = LEVELS.indexOf(p.level);
      if (i === LEVELS.length - 1) continue;
      const level = LEVELS[i + 1]!;
      // Cheap steps first: only render a sharper level when its blurrier one is already shown.
      const extra = costOf(p, level, ctx) - costOf(p, p.level, ctx) + margin(p);
      if (extra > left || extra <= 0) continue;
      const value = (p.priority * GAIN[level]) / Math.sqrt(extra);
      if (!best || value > best.value) best = { plan: p, level, extra, value };
    }
    if (!best) break;
    best.plan.level = best.level;
    left -= best.extra;
  }
  return available - left;
}

/** A turn whose only work is superseded reads keeps this share of its priority (see SUPERSEDED_WEIGHT in recall). */
const SUPERSEDED_PRIORITY = 0.35;

/** Whether every tool result of a turn is a read that a later read or edit of the file superseded. */
function onlySupersededReads(events: readonly StoredEvent[], d: DistilledSession): boolean {
  let reads = 0;
  for (const ev of events) {
    if (ev.kind !== 'tool_result') continue;
    if (!d.analysis.supersededBy.has(ev.id)) return false;
    reads++;
  }
  return reads > 0;
}

function leastValuable(plans: TurnPlan[]): TurnPlan | null {
  let victim: TurnPlan | null = null;
  for (const p of plans) {
    if (p.level === 'none') continue;
    if (!victim || p.priority < victim.priority) victim = p;
  }
  return victim;
}

/** Query relevance of each turn: the share of query terms its digest or events mention. */
function queryRelevance(d: DistilledSession, state: TaskState): Map<number, number> {
  const out = new Map<number, number>();
  if (state.queryTerms.length === 0) return out;
  for (const turn of d.turns) {
    const haystack = (digestPlainText(d.digests.get(turn)!) + '\n' + d.analysis.turns.get(turn)!.map((e) => e.text).join('\n')).toLowerCase();
    const hits = state.queryTerms.filter((t) => haystack.includes(t)).length;
    if (hits > 0) out.set(turn, hits / state.queryTerms.length);
  }
  return out;
}

/** A kept code read: the task's focus files only, folded to signatures and the focus symbols. */
function foldRead(ev: StoredEvent, source: string, state: TaskState, cwd: string): string | null {
  const path = ev.paths[0];
  if (!path || !isFocusFile(state, path, cwd)) return null;
  return foldCode(source, { path, keep: state.focusSymbols }).text;
}

/**
 * The task's focus files as last read, folded. Code follows relevance, not time: an early read of
 * a file the task is working on now is shown here however old it is.
 */
function codeSection(d: DistilledSession, state: TaskState, share: number): { blocks: Block[]; tokens: number } {
  const cwd = d.session.cwd;
  const latest = new Map<string, StoredEvent>();
  for (const ev of d.events) {
    if (!ev.mainLine || ev.sidechain || ev.kind !== 'tool_result' || ev.isError) continue;
    if (ev.toolName !== 'Read' || !ev.paths[0]) continue;
    const file = shortPath(ev.paths[0], cwd);
    if (state.focusFiles.has(file)) latest.set(file, ev);
  }
  const blocks: Block[] = [];
  let tokens = 0;
  for (const [file, ev] of [...latest].sort((a, b) => b[1].id - a[1].id)) {
    const folded = foldCode(verbatimText(ev), { path: ev.paths[0]!, keep: state.focusSymbols });
    const newer = d.analysis.supersededBy.get(ev.id);
    const note = newer !== undefined ? ` — changed since: ${anchor(newer)}` : '';
    const block = codeBlock(`# ${file} as read at ${anchor(ev.id)}${note}\n${folded.text}`, '');
    const cost = countExact(render([block])) + 2;
    if (tokens + cost > share) continue;
    blocks.push(block);
    tokens += cost;
  }
  if (blocks.length === 0) return { blocks, tokens: 0 };
  const title = heading(2, raw('Code in focus'));
  const titleTokens = countExact(render([title])) + 2;
  if (tokens + titleTokens > share) return { blocks: [], tokens: 0 };
  return { blocks: [title, ...blocks], tokens: tokens + titleTokens };
}
