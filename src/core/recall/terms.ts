// Identifier-aware terms for the full-text index. FTS4's unicode61 tokenizer already splits on
// punctuation (snake_case, paths, dotted names become their parts), but it keeps a camelCase word
// whole. So each indexed text carries a second column with the parts of its camelCase words, and
// a query word is searched both whole and as the phrase of its parts.

// A word with an inner capital: getUserName, HTTPServer, parseJSON2, XMLHttpRequest. Anchored at a
// word start, and the lower-case run cannot overlap the capital after it, so it never backtracks far
// (this runs on every indexed text).
const CAMEL_WORD = /\b[A-Za-z][a-z0-9]*[A-Z][A-Za-z0-9]*/g;

/** The parts of one camelCase word, lower-cased: HTTPServerError → http server error. */
export function camelParts(word: string): string[] {
  return word
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(' ')
    .filter((p) => p !== '');
}

/**
 * The identifier parts column of a text: the parts of each distinct camelCase word, one word a
 * line (so a phrase never spans two words). Empty when the text has none.
 */
export function identifierParts(text: string, maxWords = 200): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const m of text.matchAll(CAMEL_WORD)) {
    if (seen.has(m[0])) continue;
    seen.add(m[0]);
    lines.push(camelParts(m[0]).join(' '));
    if (lines.length >= maxWords) break;
  }
  return lines.join('\n');
}

/** The words of a query as unicode61 would see them (lower-cased, split on punctuation). */
function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t !== '');
}

export interface QueryTerm {
  /** What the user wrote (one whitespace-separated word). */
  word: string;
  /** FTS4 alternatives for it, already quoted. */
  alternatives: string[];
}

/**
 * A query as FTS4 MATCH text: every word is optional (OR), so a partial match still ranks, and
 * BM25 puts documents with more and rarer words first. A word with punctuation becomes the phrase
 * of its parts (`db_pool.ts` → "db pool ts"); a camelCase word matches whole or as its parts.
 * Returns '' when the query has no searchable word.
 */
export function buildMatch(query: string): { match: string; terms: QueryTerm[] } {
  const terms: QueryTerm[] = [];
  for (const word of query.split(/\s+/).filter((w) => w !== '')) {
    const prefix = word.endsWith('*');
    const parts = tokens(word);
    if (parts.length === 0) continue;
    const alternatives = new Set<string>();
    alternatives.add(quote(parts.join(' '), prefix));
    for (const piece of word.split(/[^\p{L}\p{N}]+/u)) {
      if (!/[a-z0-9][A-Z]|[A-Z]{2,}[a-z]/.test(piece)) continue;
      // The camelCase word as its parts: found in the parts column.
      alternatives.add(quote(camelParts(piece).join(' '), false));
    }
    terms.push({ word, alternatives: [...alternatives] });
  }
  return { match: terms.flatMap((t) => t.alternatives).join(' OR '), terms };
}

function quote(phrase: string, prefix: boolean): string {
  return `"${phrase.replace(/"/g, '')}${prefix ? '*' : ''}"`;
}

/** Lower-cased words of a text, for matching graph node names. */
export function words(text: string): string[] {
  const out = new Set<string>();
  for (const t of tokens(text)) out.add(t);
  for (const m of text.matchAll(CAMEL_WORD)) for (const p of camelParts(m[0])) out.add(p);
  return [...out];
}
