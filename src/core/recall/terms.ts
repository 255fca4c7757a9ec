// Identifier-aware terms for the full-text index. FTS4's unicode61 tokenizer already splits on
// punctuation (snake_case, paths, dotted names become their parts), but it keeps a camelCase word
// whole. So each indexed text carries a second column with the parts of its camelCase words, and
// a query word is searched both whole and as the phrase of its parts.
//
// A path or a dotted or snake_case name searched as the phrase of its parts is slow when the
// parts are common (`src`, `db`, `ts`: FTS4 reads every position of each part in the index). So
// the second column also carries each such compound *joined*: `lib/db/pool.ts` as `libdbpoolts`,
// `dbpoolts` and `poolts` (its suffixes: a file is named by its tail), and a query word with
// punctuation is first looked up as that one rare token.

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

// Words joined by . _ / \ - (paths, dotted and snake_case names). Possessive-like: each piece is
// a maximal run, so there is no backtracking.
const COMPOUND = /[\p{L}\p{N}]+(?:[._/\\-][\p{L}\p{N}]+)+/gu;
/** Joined suffixes of at most this many pieces (a long path's head is not how people name it). */
const MAX_JOINED_PIECES = 6;

/**
 * The identifier column of a text: the parts of each distinct camelCase word, one word a line,
 * then the joined suffixes of each distinct compound (see `joinedSuffixes`). Empty when the text
 * has neither.
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
  const joined: string[] = [];
  for (const m of text.matchAll(COMPOUND)) {
    const key = m[0].toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    joined.push(...joinedSuffixes(tokens(key)));
    if (joined.length >= maxWords) break;
  }
  if (joined.length > 0) lines.push([...new Set(joined)].join(' '));
  return lines.join('\n');
}

/** `[lib, db, pool, ts]` → `libdbpoolts dbpoolts poolts`: the suffixes of two pieces or more, joined. */
export function joinedSuffixes(pieces: readonly string[]): string[] {
  const out: string[] = [];
  for (let from = Math.max(0, pieces.length - MAX_JOINED_PIECES); from <= pieces.length - 2; from++) out.push(pieces.slice(from).join(''));
  return out;
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
  /** A word with punctuation as its one joined token in the identifier column (`parts:libdbpoolts`). */
  joined?: string;
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
    const term: QueryTerm = { word, alternatives: [...alternatives] };
    if (parts.length >= 2 && !prefix) term.joined = `parts:${joinedSuffixes(parts.slice(-MAX_JOINED_PIECES))[0]!}`;
    terms.push(term);
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
