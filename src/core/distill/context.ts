// R3, the working context (gen-1), and R4, the outline: the session as a whole, built from the
// turn digests. Extractive like them: every phrase comes from a digest, and so from the session.
import { type Block, type Inline, code, heading, list, paragraph, raw, strong, text } from '../markdown';
import type { TurnDigest } from './digest';
import { termsOf } from '../text';
import { cutWords, errorKey } from './extract';
import { anchor } from './strip';

export interface WorkingContext {
  currentState: { goal: string; goalTurn: number; status: string; focusFiles: string[] };
  decisions: { text: string; turn: number; anchor: number }[];
  changes: { path: string; added: number; removed: number; turns: number[] }[];
  openProblems: { signature: string; turn: number; anchor: number; count: number }[];
  /** Constants set during the session, the newest value of each (revised values show only as they are now). */
  values: { name: string; text: string; turn: number; anchor: number; revised: boolean }[];
  timeline: { from: number; to: number; summary: string; errors: { signature: string; anchor: number }[] }[];
  turns: number;
}

/** How much of each list to show: the full working context, or a tighter one for small budgets. */
export interface ContextLimits {
  decisions: number;
  changes: number;
  values: number;
  timeline: number;
  errorsPerPeriod: number;
}

export const FULL_CONTEXT: ContextLimits = { decisions: 24, changes: 24, values: 40, timeline: 14, errorsPerPeriod: 3 };
/** Tighter forms, tried in order when the full one does not fit the budget. */
export const TIGHTER_CONTEXTS: readonly ContextLimits[] = [
  { decisions: 16, changes: 10, values: 24, timeline: 10, errorsPerPeriod: 2 },
  { decisions: 10, changes: 5, values: 16, timeline: 6, errorsPerPeriod: 1 },
  { decisions: 5, changes: 0, values: 8, timeline: 0, errorsPerPeriod: 0 },
];

const MAX_DECISIONS = FULL_CONTEXT.decisions;
const MAX_CHANGES = FULL_CONTEXT.changes;
const MAX_TIMELINE = FULL_CONTEXT.timeline;
/** Turns whose failures count as still open when nothing later succeeded. */
const OPEN_WINDOW = 5;
const FOCUS_TURNS = 3;

export function buildWorkingContext(digests: readonly TurnDigest[]): WorkingContext {
  const last = digests[digests.length - 1];
  const lastWithIntent = [...digests].reverse().find((d) => d.intent);
  const focus = new Set<string>();
  for (const d of digests.slice(-FOCUS_TURNS)) for (const e of d.edited) focus.add(e.path);

  const decisions: WorkingContext['decisions'] = [];
  const seen = new Set<string>();
  for (const d of digests) {
    for (const s of d.decisions) {
      const key = s.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      decisions.push({ text: s, turn: d.turn, anchor: d.promptId ?? d.eventFrom });
    }
  }

  const changes = new Map<string, WorkingContext['changes'][number]>();
  for (const d of digests) {
    for (const e of d.edited) {
      const c = changes.get(e.path) ?? { path: e.path, added: 0, removed: 0, turns: [] };
      c.added += e.added;
      c.removed += e.removed;
      if (!c.turns.includes(d.turn)) c.turns.push(d.turn);
      changes.set(e.path, c);
    }
  }
  const recentChanges = [...changes.values()].sort((a, b) => (b.turns.at(-1) ?? 0) - (a.turns.at(-1) ?? 0)).slice(0, MAX_CHANGES);

  const values = new Map<string, WorkingContext['values'][number]>();
  for (const d of digests) {
    for (const v of d.values ?? []) {
      const prior = values.get(v.name);
      values.delete(v.name);
      values.set(v.name, { name: v.name, text: v.text, turn: d.turn, anchor: v.id, revised: (prior?.revised ?? false) || (prior !== undefined && prior.text !== v.text) });
    }
  }

  return {
    currentState: {
      goal: lastWithIntent?.intent ?? '',
      goalTurn: lastWithIntent?.turn ?? 0,
      status: last?.outcome ?? '',
      focusFiles: [...focus],
    },
    // The newest decisions are the ones in force; older ones are the first to go.
    decisions: decisions.slice(-MAX_DECISIONS),
    changes: recentChanges,
    openProblems: openProblems(digests),
    values: [...values.values()],
    timeline: timeline(digests),
    turns: digests.length,
  };
}

/**
 * Failures of the last turns that nothing later fixed: an error is closed when a later turn ran
 * the same command successfully, or when its turn is outside the window and later turns ran
 * without errors.
 */
function openProblems(digests: readonly TurnDigest[]): WorkingContext['openProblems'] {
  const open = new Map<string, WorkingContext['openProblems'][number] & { command?: string }>();
  for (const d of digests.slice(-OPEN_WINDOW)) {
    for (const c of d.commands) {
      if (c.exit !== 0) continue;
      for (const [key, p] of open) if (p.command === c.command || p.command === undefined) open.delete(key);
    }
    for (const e of d.errors) {
      const failing = d.commands.find((c) => c.id === e.id);
      open.set(errorKey(e.signature), { signature: e.signature, turn: d.turn, anchor: e.id, count: e.count, command: failing?.command });
    }
  }
  return [...open.values()].map(({ command: _command, ...p }) => p);
}

/**
 * The Session Timeline: periods of turns, each labelled by what was asked in it. The label is the
 * period's most informative prompts (inverse document frequency of their terms over the session's
 * prompts), in time order, as many as its length allows: labelled by its first prompt, a period
 * read "Check the tests." or "Continue." while a stated rule or a name asked in it vanished.
 */
function timeline(digests: readonly TurnDigest[]): WorkingContext['timeline'] {
  if (digests.length === 0) return [];
  const per = Math.ceil(digests.length / MAX_TIMELINE);
  const info = intentInformation(digests);
  const out: WorkingContext['timeline'] = [];
  for (let i = 0; i < digests.length; i += per) {
    const group = digests.slice(i, i + per);
    const errors = new Map<string, { signature: string; anchor: number }>();
    for (const d of group) for (const e of d.errors) if (!errors.has(errorKey(e.signature))) errors.set(errorKey(e.signature), { signature: e.signature, anchor: e.id });
    out.push({ from: group[0]!.turn, to: group[group.length - 1]!.turn, summary: periodLabel(group, info, per > 1 ? 90 : 140), errors: [...errors.values()] });
  }
  return out;
}

/** Information of each turn's intent: the summed inverse document frequency of its distinct terms. */
function intentInformation(digests: readonly TurnDigest[]): Map<number, number> {
  const terms = new Map(digests.map((d) => [d.turn, termsOf(d.intent)]));
  const df = new Map<string, number>();
  for (const list of terms.values()) for (const t of list) df.set(t, (df.get(t) ?? 0) + 1);
  const n = digests.length;
  return new Map([...terms].map(([turn, list]) => [turn, list.reduce((sum, t) => sum + Math.log((n + 1) / ((df.get(t) ?? 0) + 0.5)), 0)]));
}

function periodLabel(group: readonly TurnDigest[], info: ReadonlyMap<number, number>, maxChars: number): string {
  const withIntent = group.filter((d) => d.intent);
  if (withIntent.length === 0) return '';
  const ranked = [...withIntent].sort((a, b) => (info.get(b.turn) ?? 0) - (info.get(a.turn) ?? 0));
  const best = ranked[0]!;
  if (withIntent.length === 1 || best.intent.length >= maxChars) return cutWords(best.intent, maxChars);
  // Each further prompt gets a short share, in time order, while room is left.
  const share = Math.max(40, Math.floor(maxChars / Math.min(3, withIntent.length)));
  const chosen = new Set<TurnDigest>();
  let length = 0;
  for (const d of ranked) {
    const piece = Math.min(d.intent.length, share);
    if (chosen.size > 0 && length + piece + 3 > maxChars) continue;
    chosen.add(d);
    length += piece + 3;
  }
  return withIntent
    .filter((d) => chosen.has(d))
    .map((d) => cutWords(d.intent, chosen.size === 1 ? maxChars : share))
    .join(' · ');
}

/** Keeps `limit` items spread evenly over the list (the first and the last among them). */
function spread<T>(items: readonly T[], limit: number): T[] {
  if (items.length <= limit) return [...items];
  if (limit <= 0) return [];
  if (limit === 1) return [items[items.length - 1]!];
  return Array.from({ length: limit }, (_, i) => items[Math.round((i * (items.length - 1)) / (limit - 1))]!);
}

export function renderWorkingContext(w: WorkingContext, limits: ContextLimits = FULL_CONTEXT): Block[] {
  const blocks: Block[] = [heading(2, raw('Working context'))];
  const s = w.currentState;
  blocks.push(heading(3, raw('Current State')));
  const state: Inline[][] = [];
  if (s.goal) state.push([strong(raw('Goal now:')), raw(' '), text(s.goal), raw(` (turn ${s.goalTurn})`)]);
  if (s.status) state.push([strong(raw('Last result:')), raw(' '), text(s.status)]);
  if (s.focusFiles.length > 0) state.push([strong(raw('Files in progress:')), raw(' '), ...s.focusFiles.flatMap((f, i) => (i ? [raw(', '), code(f)] : [code(f)]))]);
  if (w.openProblems.length > 0) state.push([strong(raw('Open problems:')), raw(` ${w.openProblems.length} (below)`)]);
  blocks.push(state.length > 0 ? list(state) : paragraph(raw('_nothing yet_')));

  blocks.push(heading(3, raw('Key Decisions')));
  // The newest decisions are the ones in force: the oldest are the first to go.
  const decisions = w.decisions.slice(-limits.decisions);
  blocks.push(
    decisions.length > 0
      ? list(decisions.map((d) => [text(d.text), raw(` (turn ${d.turn} ${anchor(d.anchor)})`)]))
      : paragraph(raw(w.decisions.length > 0 ? `_${w.decisions.length} not shown_` : '_none recorded_')),
  );

  blocks.push(heading(3, raw('Technical Changes')));
  const changes = w.changes.slice(0, limits.changes);
  const values = w.values.slice(-limits.values);
  const items: Inline[][] = changes.map((c) => [code(c.path), raw(` +${c.added} −${c.removed} (turns ${compactTurns(c.turns)})`)]);
  if (w.changes.length > changes.length) items.push([raw(`${w.changes.length - changes.length} more files edited`)]);
  if (values.length > 0) {
    items.push([
      strong(raw('Values set (newest):')),
      raw(' '),
      ...values.flatMap((v, i) => [...(i ? [raw(', ')] : []), code(v.text), raw(v.revised ? ` (revised, turn ${v.turn})` : ` (turn ${v.turn})`)]),
    ]);
  }
  blocks.push(items.length > 0 ? list(items) : paragraph(raw('_no files edited_')));

  blocks.push(heading(3, raw('Open Problems')));
  blocks.push(
    w.openProblems.length > 0
      ? list(w.openProblems.map((p) => [code(p.signature), raw(`${p.count > 1 ? ` (×${p.count})` : ''} (turn ${p.turn} ${anchor(p.anchor)})`)]))
      : paragraph(raw('_none open_')),
  );

  blocks.push(heading(3, raw('Session Timeline')));
  const periods = spread(w.timeline, limits.timeline);
  blocks.push(
    periods.length > 0
      ? list(
          periods.map((t) => [
            raw(t.from === t.to ? `turn ${t.from}: ` : `turns ${t.from}–${t.to}: `),
            text(t.summary),
            ...t.errors.slice(0, limits.errorsPerPeriod).flatMap((e, i) => [raw(i ? '; ' : ' — errors: '), code(e.signature), raw(` ${anchor(e.anchor)}`)]),
          ]),
        )
      : paragraph(raw(`_${w.turns} turns_`)),
  );
  return blocks;
}

/** R4: a few lines, what the session is and where it stands. */
export function renderOutline(w: WorkingContext, title: string): Block[] {
  const lines: Inline[][] = [[strong(raw('Session:')), raw(' '), text(title || '(untitled)'), raw(` — ${w.turns} turns`)]];
  if (w.currentState.goal) lines.push([strong(raw('Now:')), raw(' '), text(cutWords(w.currentState.goal, 160))]);
  if (w.currentState.status) lines.push([strong(raw('Last:')), raw(' '), text(cutWords(w.currentState.status, 160))]);
  if (w.openProblems[0]) lines.push([strong(raw('Open:')), raw(' '), code(cutWords(w.openProblems[0].signature, 120))]);
  return [heading(2, raw('Outline')), list(lines)];
}

function compactTurns(turns: number[]): string {
  if (turns.length <= 4) return turns.join(', ');
  return `${turns.slice(0, 2).join(', ')}, …, ${turns.slice(-2).join(', ')}`;
}
