// Small text helpers shared by every layer of the core.

/** Marker inserted where `cutMiddle` removed text; recall reads the original back by sourceRef. */
export function cutMarker(removed: number): string {
  return `\n[… ${removed} characters not stored — recall reads the original from the transcript …]\n`;
}

/**
 * Keeps the head and the tail of a long text (the start says what it is, the end how it ended:
 * the error, the summary line, the exit status) and drops the middle.
 */
export function cutMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil(max * 0.6);
  const tail = max - head;
  const cut = text.slice(0, head) + cutMarker(text.length - head - tail) + text.slice(text.length - tail);
  // A text just over the limit would come out longer than it went in, and a stored text as long as
  // its original reads as uncut (verbatimText): 30 tool outputs of lore's two sessions were stored
  // with a marker and never read back. Such a text is kept whole.
  return cut.length < text.length ? cut : text;
}

/** Number of lines of a text ('' has 0, 'a' has 1, 'a\n' has 1). */
export function countLines(text: string): number {
  if (text === '') return 0;
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}

const TERM = /[\p{L}\p{N}_$][\p{L}\p{N}_$.\-/:@#%]*[\p{L}\p{N}_%]|[\p{L}\p{N}]/gu;
const HAS_CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;

/** Terms of a text: words, identifiers, numbers, paths (lowercased); CJK runs as character pairs. */
export function termsOf(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.toLowerCase().matchAll(TERM)) {
    const t = m[0];
    if (HAS_CJK.test(t)) {
      // A CJK run has no spaces: its character pairs stand for its words.
      const chars = [...t];
      for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
      if (chars.length === 1) out.add(t);
    } else out.add(t);
  }
  return [...out];
}

