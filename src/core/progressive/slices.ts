// The views of a progressive read: a session's turns rendered at a level and cut into slices that
// fit a token budget. Produced by the schedule, never by the model (DESIGN §7).
import { FULL_CONTEXT, renderOutline, renderWorkingContext, TIGHTER_CONTEXTS } from '../distill/context';
import { renderDigest } from '../distill/digest';
import { renderTurnSharp } from '../distill/strip';
import type { DistilledSession } from '../distill/units';
import { render } from '../markdown';
import { countExact } from '../tokens/count';
import { fitTokens } from '../tokens/fit';

export type SliceLevel = 'R4+R3' | 'R2' | 'R1' | 'R0';

/**
 * The stored units to read instead of the extractive renderings: the R2 digest of each turn and the
 * R3 working context as they are in the database, so a model distiller's units, when one ran, are
 * what the read sees. See storedUnits in units-view.ts.
 */
export interface UnitTexts {
  digests: ReadonlyMap<number, string>;
  /** Only when a model wrote R3: the extractive one is rendered here, tighter when it must be. */
  context?: string;
}

export interface Slice {
  level: SliceLevel;
  /** The turns it covers, in order (not always contiguous for detail slices). */
  turns: number[];
  turnFrom: number;
  turnTo: number;
  /** Provenance: the event range the slice was made from. */
  eventFrom: number;
  eventTo: number;
  text: string;
  tokens: number;
  /** True when some text was cut to make it fit. */
  cut: boolean;
}


/** The whole session at R4 + R3, the tightest rendering of R3 that fits. */
export function overviewSlice(d: DistilledSession, budget: number, units?: UnitTexts): Slice {
  let text = units?.context ? render(renderOutline(d.context, d.session.title)) + '\n' + units.context : '';
  for (const limits of units?.context ? [] : [FULL_CONTEXT, ...TIGHTER_CONTEXTS]) {
    text = render([...renderOutline(d.context, d.session.title), ...renderWorkingContext(d.context, limits)]);
    if (countExact(text) <= budget) break;
  }
  const fitted = fitTokens(text, budget);
  return makeSlice(d, 'R4+R3', d.turns, fitted.text, fitted.cut);
}

/** One turn's text at a level. */
export function turnText(d: DistilledSession, turn: number, level: Exclude<SliceLevel, 'R4+R3'>, units?: UnitTexts): string {
  if (level === 'R2') return units?.digests.get(turn) ?? render(renderDigest(d.digests.get(turn)!));
  const events = d.analysis.turns.get(turn) ?? [];
  return render([{ t: 'heading', level: 3, children: [{ t: 'raw', value: `Turn ${turn}` }] }, ...renderTurnSharp(events, level === 'R0' ? 0 : 1, { analysis: d.analysis })]);
}

/**
 * Packs turns, in order, into slices of at most `budget` tokens. A turn too big for one slice gets
 * one slice of its own, cut in the middle (the recall handles in it still lead to the original).
 */
export function packTurns(d: DistilledSession, turns: readonly number[], level: Exclude<SliceLevel, 'R4+R3'>, budget: number, units?: UnitTexts): Slice[] {
  const slices: Slice[] = [];
  let group: number[] = [];
  let parts: string[] = [];
  let tokens = 0;
  const flush = () => {
    if (group.length > 0) slices.push(makeSlice(d, level, group, parts.join('\n'), false));
    group = [];
    parts = [];
    tokens = 0;
  };
  for (const turn of turns) {
    const text = turnText(d, turn, level, units);
    // +1 for the newline that joins two parts.
    const size = countExact(text) + 1;
    if (size > budget) {
      flush();
      const fitted = fitTokens(text, budget);
      slices.push(makeSlice(d, level, [turn], fitted.text, fitted.cut));
      continue;
    }
    if (tokens + size > budget) flush();
    group.push(turn);
    parts.push(text);
    tokens += size;
  }
  flush();
  // Joining can differ from the sum of the parts by a token at a seam: re-fit to be exact.
  return slices.map((s) => (s.tokens <= budget ? s : { ...s, ...fitTokensSlice(s, budget) }));
}

function fitTokensSlice(s: Slice, budget: number): Pick<Slice, 'text' | 'tokens' | 'cut'> {
  const fitted = fitTokens(s.text, budget);
  return { text: fitted.text, tokens: countExact(fitted.text), cut: true };
}

function makeSlice(d: DistilledSession, level: SliceLevel, turns: readonly number[], text: string, cut: boolean): Slice {
  const first = d.analysis.turns.get(turns[0] ?? 0);
  const last = d.analysis.turns.get(turns[turns.length - 1] ?? 0);
  return {
    level,
    turns: [...turns],
    turnFrom: turns[0] ?? 0,
    turnTo: turns[turns.length - 1] ?? 0,
    eventFrom: first?.[0]?.id ?? 0,
    eventTo: last?.[last.length - 1]?.id ?? 0,
    text,
    tokens: countExact(text),
    cut,
  };
}
