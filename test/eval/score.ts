// The eval's scorer (rules 1–3 of eval.ts): normalized literal matching, and the stale-value rule.
import type { PlantedFact } from './planted';

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

/** Rules 2 and 3 for a question of several literals: all occur; a stale value is judged on the first. */
export function questionKept(normalizedOutput: string, q: { answers: readonly string[]; stale?: string }): boolean {
  const [first, ...rest] = q.answers;
  if (first === undefined) return false;
  if (!factKept(normalizedOutput, { answer: first, ...(q.stale !== undefined ? { stale: q.stale } : {}) })) return false;
  return rest.every((a) => normalizedOutput.includes(normalizeForMatch(a)));
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


