// Cutting a text to a token budget, for model inputs that must fit a window (progressive-read
// slices, model-distiller inputs). Shared by distill/ and progressive/, so it lives below both.
import { cutMiddle } from '../text';
import { countExact } from './count';

/** The longest head+tail cut of `text` that fits `budget` tokens (binary search on characters). */
export function fitTokens(text: string, budget: number): { text: string; cut: boolean } {
  if (countExact(text) <= budget) return { text, cut: false };
  let lo = 0;
  let hi = text.length;
  let best = '';
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const candidate = mid === 0 ? '' : cutMiddle(text, mid);
    if (countExact(candidate) <= budget) {
      best = candidate;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return { text: best, cut: true };
}

/**
 * `text` cut into consecutive pieces of at most `budget` tokens each, in order, nothing left out
 * but the newline where a cut falls. For reading a long text whole in window-sized calls.
 */
export function splitTokens(text: string, budget: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  do {
    const cut = headTokens(rest, budget);
    pieces.push(cut.head);
    rest = cut.rest;
  } while (rest !== '');
  return pieces;
}

/**
 * The longest head of `text` within `budget` tokens, and the rest. The cut falls between lines
 * (the newline there is dropped); when the first line alone is over the budget, between characters.
 */
export function headTokens(text: string, budget: number): { head: string; rest: string } {
  if (budget < 1) throw new RangeError(`headTokens needs a budget of at least 1 token, got ${budget}`);
  // Lines are counted one by one (+1 for each newline that joins two), so a huge text is never
  // counted whole; the joined head is counted once, and loses lines if a seam merged differently.
  const ends: number[] = [];
  let tokens = -1;
  let at = 0;
  while (at <= text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    tokens += 1 + countExact(text.slice(at, end));
    if (tokens > budget) break;
    ends.push(end);
    if (nl < 0) return { head: text, rest: '' };
    at = nl + 1;
  }
  while (ends.length > 0 && countExact(text.slice(0, ends[ends.length - 1])) > budget) ends.pop();
  if (ends.length > 0) {
    const end = ends[ends.length - 1]!;
    return { head: text.slice(0, end), rest: text.slice(end + 1) };
  }
  const nl = text.indexOf('\n');
  const line = nl < 0 ? text : text.slice(0, nl);
  const n = prefixWithin(line, budget);
  return { head: line.slice(0, n), rest: text.slice(n) };
}

/** How many leading characters of a line over the budget fit it (at least 1). */
function prefixWithin(line: string, budget: number): number {
  // Bound the search from above by doubling, so a megabyte line is not counted whole each step.
  let lo = 1;
  let hi = Math.min(line.length - 1, budget * 4);
  while (hi < line.length - 1 && countExact(line.slice(0, hi)) <= budget) {
    lo = hi;
    hi = Math.min(line.length - 1, hi * 2);
  }
  let best = lo;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (countExact(line.slice(0, mid)) <= budget) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  // Never between the two halves of a surrogate pair (an emoji would become two broken characters).
  if (best > 1 && /[\uD800-\uDBFF]/.test(line[best - 1]!)) best--;
  return best;
}
