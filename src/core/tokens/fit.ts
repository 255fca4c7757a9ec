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
