// What compaction is compared against: three ways to fit a session into a token budget without
// understanding it. Each returns markdown whose countExact (of the whole output) is ≤ the budget.
//
//   tail         the most recent events verbatim, as many as fit
//   head+tail    half the budget for the start of the session, half for the end
//   strip-tools  every tool output replaced by a placeholder, then the most recent that fit
//                (what agents do today when their context fills)
//
// All three render the same events: the main line of the main agent (no subagent sidechains, no
// rewound branch), without thinking (the API drops earlier turns' thinking anyway) nor bookkeeping
// records (titles, snapshots, turn durations), which never reach the model. The verbatim rendering
// of those events is also what the eval measures a session's size with.
import type { StoredEvent } from '../../src/core/model';
import { countExact } from '../../src/core/tokens/count';

/** The fields of a stored event the baselines read (tests build these by hand). */
export type EvalEvent = Pick<StoredEvent, 'kind' | 'text' | 'toolName' | 'isError' | 'mainLine' | 'sidechain'>;

export type BaselineName = 'tail' | 'head+tail' | 'strip-tools';

export const TOOL_OUTPUT_OMITTED = '[tool output omitted]';
const SEP = '\n\n';
const CUT = '[…] ';

/** The events a verbatim context holds, in order. */
export function contextEvents<E extends EvalEvent>(events: readonly E[]): E[] {
  return events.filter((e) => e.mainLine && !e.sidechain && renderEvent(e) !== null);
}

/** One event as a markdown block, or null for events that are not rendered. */
export function renderEvent(e: EvalEvent, stripTools = false): string | null {
  switch (e.kind) {
    case 'user_prompt':
      return `**user**: ${e.text}`;
    case 'assistant_text':
      return `**assistant**: ${e.text}`;
    case 'tool_call':
      return `**tool call**: ${e.text}`;
    case 'tool_result': {
      const name = `tool ${e.toolName ?? '?'}${e.isError ? ' (error)' : ''}`;
      return `${name}: ${stripTools ? TOOL_OUTPUT_OMITTED : e.text}`;
    }
    case 'compact_summary':
      return `**summary**: ${e.text}`;
    default:
      return null;
  }
}

function blocks(events: readonly EvalEvent[], stripTools = false): string[] {
  return contextEvents(events).map((e) => renderEvent(e, stripTools)!);
}

/** The whole session, verbatim (no budget). */
export function renderVerbatim(events: readonly EvalEvent[]): string {
  return blocks(events).join(SEP);
}

function fits(parts: readonly string[], budget: number): boolean {
  return countExact(parts.join(SEP)) <= budget;
}

/**
 * The longest end (or start) of `text` that fits in `budget` with a cut marker, by binary search
 * on its length ('' when not even the marker fits). Token counts are not quite monotonic in
 * length, so the result is checked, and shortened until it fits.
 */
export function cutToFit(text: string, budget: number, keep: 'end' | 'start'): string {
  const make = (n: number) => (keep === 'end' ? CUT + text.slice(text.length - n) : text.slice(0, n) + ' [… ]');
  if (countExact(text) <= budget) return text;
  if (countExact(make(0)) > budget) return '';
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (countExact(make(mid)) <= budget) lo = mid;
    else hi = mid - 1;
  }
  while (lo > 0 && countExact(make(lo)) > budget) lo--;
  return make(lo);
}

/** Contiguous blocks from the end (or the start) that fit together in `budget`; cut when even one does not. */
function keepRun(all: readonly string[], budget: number, from: 'end' | 'start'): string[] {
  const order = from === 'end' ? [...all].reverse() : [...all];
  const sepTokens = countExact(SEP);
  const kept: string[] = [];
  let used = 0;
  for (const b of order) {
    const cost = countExact(b) + (kept.length > 0 ? sepTokens : 0);
    if (used + cost > budget) break;
    kept.push(b);
    used += cost;
  }
  if (from === 'end') kept.reverse();
  // Tokens of a join are not exactly the sum of the parts': drop from the far side until it fits.
  while (kept.length > 0 && !fits(kept, budget)) {
    if (from === 'end') kept.shift();
    else kept.pop();
  }
  if (kept.length === 0 && order.length > 0) {
    const cut = cutToFit(order[0]!, budget, from);
    return cut === '' ? [] : [cut];
  }
  return kept;
}

/** The most recent events verbatim, until the budget. */
export function tail(events: readonly EvalEvent[], budget: number): string {
  return keepRun(blocks(events), budget, 'end').join(SEP);
}

/** As `tail`, but every tool output is replaced by a placeholder first. */
export function stripTools(events: readonly EvalEvent[], budget: number): string {
  return keepRun(blocks(events, true), budget, 'end').join(SEP);
}

/** The start of the session in half the budget, its end in the other half, a marker between. */
export function headTail(events: readonly EvalEvent[], budget: number): string {
  const all = blocks(events);
  if (fits(all, budget)) return all.join(SEP);
  const marker = (n: number) => `[… ${n} events omitted …]`;
  const reserve = countExact(marker(all.length)) + 2 * countExact(SEP);
  const half = Math.floor((budget - reserve) / 2);
  if (half <= 0) return keepRun(all, budget, 'end').join(SEP);
  const head = keepRun(all, half, 'start');
  // The tail gets what the head left; a head cut inside its first block counts that event as kept.
  let tailPart = keepRun(all.slice(head.length), budget - reserve - countExact(head.join(SEP)), 'end');
  const compose = () => [...head, marker(all.length - head.length - tailPart.length), ...tailPart];
  // The reserve covers the marker and its separators; check the whole anyway.
  while (!fits(compose(), budget)) {
    if (tailPart.length > 0) tailPart = tailPart.slice(1);
    else if (head.length > 0) head.pop();
    else return '';
  }
  return compose().join(SEP);
}

export const BASELINES: readonly { name: BaselineName; run: (events: readonly EvalEvent[], budget: number) => string }[] = [
  { name: 'tail', run: tail },
  { name: 'head+tail', run: headTail },
  { name: 'strip-tools', run: stripTools },
];
