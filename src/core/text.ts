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
