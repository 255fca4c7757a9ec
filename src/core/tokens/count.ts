// Token counts with gpt-tokenizer (o200k_base). Claude's own tokenizer is not public; o200k is a
// close, deterministic stand-in, and where the transcript has the API's real `usage` we record
// that too and show both.
import { countTokens as bpeCount } from 'gpt-tokenizer';

/** Texts up to this many characters are counted exactly; longer ones are sampled. */
export const EXACT_COUNT_LIMIT = 2_048;
const SAMPLE = 512;
/** The cache holds its keys: bound it by characters, not entries. */
const CACHE_MAX_CHARS = 8_000_000;
let cachedChars = 0;

const cache = new Map<string, number>();

export interface TokenCount {
  tokens: number;
  /** True when the count was extrapolated from a sample of a very long text. */
  estimated: boolean;
}

/**
 * Counts the tokens of `text`. Short texts (nearly every prompt, message and tool call) are
 * counted exactly and cached, since transcripts repeat themselves (the same file read twice, the
 * same error ten times). A tool output of megabytes is counted on its head, middle and tail and
 * scaled by length: BPE runs at ~20 MB/s, and an exact count of every output would make ingest
 * several times slower than reading the file, for a figure that only feeds estimates.
 */
export function countTextTokens(text: string): TokenCount {
  if (text.length <= EXACT_COUNT_LIMIT) return { tokens: countExact(text), estimated: false };
  const mid = Math.floor(text.length / 2 - SAMPLE / 2);
  const sample = text.slice(0, SAMPLE) + text.slice(mid, mid + SAMPLE) + text.slice(text.length - SAMPLE);
  const sampled = countExact(sample);
  return { tokens: Math.round((sampled * text.length) / sample.length), estimated: true };
}

/** Exact count, cached. */
export function countExact(text: string): number {
  if (text === '') return 0;
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const n = bpeCount(text);
  if (cachedChars + text.length > CACHE_MAX_CHARS) {
    cache.clear();
    cachedChars = 0;
  }
  cache.set(text, n);
  cachedChars += text.length;
  return n;
}
