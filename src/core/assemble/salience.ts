// Salience: what each small piece of a session adds to it, for filling a budget by value per token
// (DESIGN §5, issue 13). A unit is a line of a prompt or of assistant text, a tool call's first
// line, a line an edit wrote, or a line of tool output. Its value is the information it adds: the
// inverse document frequency of its terms (terms rare in this session — identifiers, numbers,
// paths, names, error text — weigh most; words every unit uses weigh nearly nothing), counted only
// for terms that nothing chosen before already carries (greedy coverage, so the tenth line saying
// the same thing adds nothing). Lines the session repeats collapse to their last copy with a count.
// No list of phrases decides what is kept; the only priors are by source (what a person typed and
// what the agent concluded is denser than what a tool printed) and time.
import type { StoredEvent } from '../model';
import { verbatimText } from '../source';
import { termsOf } from '../text';

export { termsOf };

export type UnitSource = 'prompt' | 'assistant' | 'call' | 'edit' | 'output';

export interface Unit {
  turn: number;
  event: StoredEvent;
  /** Order in the session (event order, then line order). */
  order: number;
  source: UnitSource;
  text: string;
  /** Distinct terms, lowercased. */
  terms: string[];
  /** Estimated tokens of its rendering. */
  cost: number;
  /** Copies of this line in the session (this one is the last). */
  copies: number;
}

/**
 * Prior weight by source: what a person typed and what the agent concluded go before what a tool
 * printed (prompts and prose are a few percent of a session and the densest part of it). Measured
 * with `npm run eval` (Loupe, answered at 1/5, 1/10, 1/20, 1/50), from 2 / 1.5 / 1.2 to 8 / 6 / 2:
 * corpus 53.6/35.1/25.8/11.3% → 58.9/38.4/25.2/11.9%, lore 55/35/15/15% → 65/60/20/15%, generator
 * 96.9/95.8/94.8/94.8% → 99.0/97.9/96.9/94.8%, generator2 unchanged (90.7/81.5/70.4/61.1%). 4 / 3 /
 * 1.5 sat between them (generator2 1.8 points better at 1/20 and 1/50, lore 10 and 5 worse). Equal
 * weights were worse on every real data set.
 */
const SOURCE_WEIGHT: Record<UnitSource, number> = { prompt: 8, assistant: 6, edit: 2, call: 1, output: 1 };
/** Lines of one output looked at: a 50 MB log is sampled, not read whole. */
const MAX_OUTPUT_LINES = 400;
/** Outputs longer than this are not read back from the transcript: their stored head and tail stand. */
const MAX_READ_BACK_CHARS = 64_000;
const MAX_LINE_CHARS = 300;
const EDIT_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/g;

/** Tokens of a short text, estimated (CJK about one a character, other text about 3.6 characters a token). */
export function estimateTokens(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  return Math.ceil(cjk + (text.length - cjk) / 3.6);
}

function linesOf(text: string, max: number): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    out.push(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line);
    if (out.length >= max) break;
  }
  return out;
}

function outputText(ev: StoredEvent): string {
  return ev.textLength <= MAX_READ_BACK_CHARS ? verbatimText(ev) : ev.text;
}

/** The units of some turns' events, repeated lines collapsed to their last copy. */
export function sessionUnits(events: readonly StoredEvent[]): Unit[] {
  const units: Unit[] = [];
  let order = 0;
  const push = (ev: StoredEvent, source: UnitSource, text: string) => {
    const terms = termsOf(text);
    if (terms.length === 0) return;
    units.push({ turn: ev.turn, event: ev, order: order++, source, text, terms, cost: estimateTokens(text) + 3, copies: 1 });
  };
  for (const ev of events) {
    if (!ev.mainLine || ev.sidechain) continue;
    switch (ev.kind) {
      case 'user_prompt':
        for (const line of linesOf(ev.text, 200)) push(ev, 'prompt', line);
        break;
      case 'assistant_text':
        for (const line of linesOf(ev.text, 200)) push(ev, 'assistant', line);
        break;
      case 'tool_call': {
        // verbatimText reads the transcript only for a call stored cut.
        const full = EDIT_TOOLS.has(ev.toolName ?? '') ? verbatimText(ev) : ev.text;
        const [first, ...body] = full.split('\n');
        if (first) push(ev, 'call', first.length > MAX_LINE_CHARS ? `${first.slice(0, MAX_LINE_CHARS)}…` : first);
        if (EDIT_TOOLS.has(ev.toolName ?? '')) {
          // What an edit set, not what it replaced.
          for (const line of linesOf(body.filter((l) => !l.startsWith('- ')).join('\n'), MAX_OUTPUT_LINES)) push(ev, 'edit', line.replace(/^\+ /, ''));
        }
        break;
      }
      case 'tool_result':
        for (const line of linesOf(outputText(ev), MAX_OUTPUT_LINES)) push(ev, 'output', line);
        break;
    }
  }
  // Repeats collapse to the last copy: the latest is the one that says where things stand.
  const last = new Map<string, Unit>();
  for (const u of units) {
    const key = u.text.toLowerCase().replace(/\s+/g, ' ');
    const seen = last.get(key);
    if (seen) u.copies += seen.copies;
    last.set(key, u);
  }
  const kept = new Set(last.values());
  return units.filter((u) => kept.has(u));
}

export interface SelectOptions {
  /** Per turn, a factor on value (recency, task relevance). */
  turnWeight: (turn: number) => number;
  /** Terms already in the document: a unit gains nothing from them. */
  covered: ReadonlySet<string>;
  /** Tokens the first unit chosen from a turn also costs (a heading for the turn, a list). */
  turnCost?: (turn: number) => number;
}

/**
 * Units chosen greedily by marginal value per token until `budget` (estimated tokens) is spent.
 * A term's weight is its inverse document frequency over the units; once a chosen unit carries a
 * term, later units gain nothing from it. Returned in the order they were chosen (most valuable
 * first), so a caller that must give tokens back drops from the end.
 */
export function selectUnits(units: readonly Unit[], budget: number, options: SelectOptions): Unit[] {
  // Frequencies count every copy of a collapsed line: a line the session printed 29 times is
  // common, however distinct its one remaining unit looks.
  const df = new Map<string, number>();
  let n = 0;
  for (const u of units) {
    n += u.copies;
    for (const t of u.terms) df.set(t, (df.get(t) ?? 0) + u.copies);
  }
  const idf = (t: string) => Math.log((n + 1) / ((df.get(t) ?? 0) + 0.5));
  const covered = new Set(options.covered);
  const opened = new Set<number>();
  const costOf = (u: Unit) => u.cost + (opened.has(u.turn) ? 0 : (options.turnCost?.(u.turn) ?? 0));
  const gain = (u: Unit) => {
    let g = 0;
    for (const t of u.terms) if (!covered.has(t)) g += idf(t);
    return (g * SOURCE_WEIGHT[u.source] * options.turnWeight(u.turn)) / costOf(u);
  };
  // Lazy greedy: a unit's gain only falls as coverage grows, so a stale upper bound that still tops
  // the heap is re-scored before it is taken (the standard speed-up for submodular coverage).
  const heap = new MaxHeap(units.map((u) => ({ u, g: gain(u) })));
  const chosen: Unit[] = [];
  let left = budget;
  for (let top = heap.pop(); top && left > 0; top = heap.pop()) {
    const fresh = gain(top.u);
    if (fresh <= 0 || costOf(top.u) > left) continue;
    const next = heap.peek();
    if (next && fresh < next.g) {
      heap.push({ u: top.u, g: fresh });
      continue;
    }
    chosen.push(top.u);
    left -= costOf(top.u);
    opened.add(top.u.turn);
    for (const t of top.u.terms) covered.add(t);
  }
  return chosen;
}

interface Scored {
  u: Unit;
  g: number;
}

/** A binary max-heap on gain. */
class MaxHeap {
  private readonly items: Scored[] = [];
  constructor(items: Scored[]) {
    for (const it of items) this.push(it);
  }
  peek(): Scored | undefined {
    return this.items[0];
  }
  push(item: Scored): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (a[parent]!.g >= a[i]!.g) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }
  pop(): Scored | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.g > a[m]!.g) m = l;
        if (r < a.length && a[r]!.g > a[m]!.g) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}
