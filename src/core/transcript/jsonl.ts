// Splitting a chunk of a JSONL file into complete lines, with byte offsets.
//
// A session that is still being written ends in a half-written line: that is not an error.
// Only lines terminated by '\n' are returned; the rest is left for the next ingest, which
// resumes at `endOffset`.

export interface RawLine {
  /** 1-based line number in the file. */
  line: number;
  /** Byte offset of the line's first byte in the file. */
  offset: number;
  /** Byte length of the line without its terminator ('\n' or '\r\n'). */
  length: number;
  text: string;
  /** True when the bytes were not valid UTF-8 (they were decoded with U+FFFD replacements). */
  invalidUtf8: boolean;
}

export interface SplitResult {
  lines: RawLine[];
  /** File offset just past the last complete line: where the next ingest starts. */
  endOffset: number;
  /** Line number the next ingest starts at. */
  nextLine: number;
}

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** Decodes one line, falling back to replacement characters when it is not valid UTF-8. */
export function decodeLine(bytes: Uint8Array): { text: string; invalidUtf8: boolean } {
  try {
    return { text: strict.decode(bytes), invalidUtf8: false };
  } catch {
    return { text: lenient.decode(bytes), invalidUtf8: true };
  }
}

/**
 * Splits `buf` (the file's bytes from `baseOffset`) into its complete lines.
 * Blank lines are skipped but counted, so line numbers stay true to the file.
 */
export function splitCompleteLines(buf: Uint8Array, baseOffset: number, firstLine: number): SplitResult {
  const lines: RawLine[] = [];
  let start = 0;
  let lineNo = firstLine;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0) break;
    let end = nl;
    if (end > start && buf[end - 1] === 0x0d) end--;
    if (end > start) {
      const { text, invalidUtf8 } = decodeLine(buf.subarray(start, end));
      if (text.trim() !== '') {
        lines.push({ line: lineNo, offset: baseOffset + start, length: end - start, text, invalidUtf8 });
      }
    }
    lineNo++;
    start = nl + 1;
  }
  return { lines, endOffset: baseOffset + start, nextLine: lineNo };
}
