// How the person types: lower case, terse, the odd typo. Placeholders `{name}` are filled after
// typos are applied, so a planted literal is never misspelt.
import type { Rng } from './rng';

function typoWord(rng: Rng, w: string): string {
  const i = rng.int(1, w.length - 2);
  switch (rng.int(0, 3)) {
    case 0:
      return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
    case 1:
      return w.slice(0, i) + w.slice(i + 1);
    case 2:
      return w.slice(0, i) + w[i] + w.slice(i);
    default:
      return w.slice(0, -1);
  }
}

/** Misspells some plain words of `text` (never inside `{placeholders}` or `backticks`). */
export function typos(rng: Rng, text: string, rate = 0.05): string {
  return text.replace(/(`[^`]*`|\{[a-z_]+\})|\b([a-z]{5,})\b/g, (m, keep: string | undefined, word: string | undefined) => {
    if (keep || !word) return m;
    return rng.chance(rate) ? typoWord(rng, word) : word;
  });
}

/** Fills `{key}` placeholders. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{([a-z_]+)\}/g, (m, k: string) => values[k] ?? m);
}

/** A typed prompt: a template with typos, then the values. */
export function typed(rng: Rng, template: string, values: Record<string, string> = {}, rate = 0.05): string {
  let t = typos(rng, template, rate);
  if (rng.chance(0.15)) t = t.replace(/[.?]$/, '');
  return fill(t, values);
}

export const ACKS = ['ok', 'k', 'ok cool', 'nice', 'good', 'ok thx', 'right', 'fine'];

export const PASS_LINES = [
  'All {n} tests pass.',
  'Suite is green: {n} passed, nothing skipped.',
  'All tests passed ({n}).',
  'Tests pass: {n} passed, 0 failed.',
  '{n} passed. No failures.',
];
