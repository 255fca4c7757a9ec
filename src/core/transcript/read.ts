// Reading what was appended to a transcript file and parsing it: the part of ingest that needs
// no database, so it can run in a worker thread (see parse-pool.ts) while the main thread writes.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { LineIssue, ParsedEvent, SessionFacts } from '../model';
import { parseClaudeLine } from './claude/parse';
import { splitCompleteLines, type RawLine } from './jsonl';

/** What to read: a file from a byte offset (where the last ingest stopped). */
export interface ReadJob {
  path: string;
  from: number;
  firstLine: number;
}

export interface ReadResult {
  path: string;
  /** The offset the job started from (to check the plan still holds when the result is applied). */
  from: number;
  events: ParsedEvent[];
  /** What the lines revealed per session id they name; '' for lines that name none (a `summary`). */
  facts: Record<string, SessionFacts>;
  issues: LineIssue[];
  /** Just past the last complete line read: where the next ingest starts. */
  endOffset: number;
  nextLine: number;
  headHash: string;
  size: number;
  mtimeMs: number;
}

/** The head of a file identifies it: a different head means the file was replaced. */
export const HEAD_BYTES = 4096;
const CHUNK_BYTES = 16 * 1024 * 1024;
const NEWLINE = Buffer.from('\n');

/** Reads and parses the complete lines of `job.path` from `job.from` on. Throws if it cannot be read. */
export function readAndParse(job: ReadJob): ReadResult {
  const fd = openSync(job.path, 'r');
  try {
    const stat = fstatSync(fd);
    const { lines, endOffset, nextLine } = readLinesFrom(fd, job.from, stat.size, job.firstLine);
    const facts: Record<string, SessionFacts> = {};
    const events: ParsedEvent[] = [];
    const issues: LineIssue[] = [];
    for (const line of lines) {
      const result = parseClaudeLine(line, job.path);
      if (result.issue) issues.push(result.issue);
      const own = (facts[result.facts.sessionId ?? ''] ??= {});
      for (const [key, value] of Object.entries(result.facts)) if (value) (own as Record<string, string>)[key] = value;
      for (const ev of result.events) events.push(ev);
    }
    return {
      path: job.path,
      from: job.from,
      events,
      facts,
      issues,
      endOffset,
      nextLine,
      headHash: hashHead(fd, Math.min(HEAD_BYTES, endOffset)),
      size: stat.size,
      mtimeMs: Math.floor(stat.mtimeMs),
    };
  } finally {
    closeSync(fd);
  }
}

/** Hash of the first `length` bytes of a file (compared with the stored one to detect a rewrite). */
export function hashFileHead(path: string, length: number): string {
  const fd = openSync(path, 'r');
  try {
    return hashHead(fd, length);
  } finally {
    closeSync(fd);
  }
}

function hashHead(fd: number, length: number): string {
  const buf = Buffer.alloc(length);
  readSync(fd, buf, 0, length, 0);
  return createHash('sha1').update(buf).digest('hex');
}

/** Reads complete lines from `offset` to `size`, chunk by chunk (a single line may exceed a chunk). */
function readLinesFrom(fd: number, offset: number, size: number, firstLine: number) {
  const lines: RawLine[] = [];
  let at = offset;
  let lineNo = firstLine;
  let chunk = CHUNK_BYTES;
  while (at < size) {
    const length = Math.min(chunk, size - at);
    const buf = Buffer.allocUnsafe(length);
    const got = readSync(fd, buf, 0, length, at);
    const split = splitCompleteLines(buf.subarray(0, got), at, lineNo);
    if (split.endOffset === at) {
      // No newline in this chunk: either the last line, or a very long line.
      if (at + got >= size) {
        // A last line without its newline is usually still being written. But a file whose last
        // line is complete JSON is finished (a JSON object is never a prefix of a longer one),
        // so it is taken; a newline appended later then reads as an empty line.
        const tail = splitCompleteLines(Buffer.concat([buf.subarray(0, got), NEWLINE]), at, lineNo);
        if (tail.lines.length === 1 && isCompleteJson(tail.lines[0]!.text)) {
          lines.push(tail.lines[0]!);
          return { lines, endOffset: at + got, nextLine: lineNo };
        }
        break;
      }
      chunk *= 2;
      continue;
    }
    for (const line of split.lines) lines.push(line);
    at = split.endOffset;
    lineNo = split.nextLine;
    chunk = CHUNK_BYTES;
  }
  return { lines, endOffset: at, nextLine: lineNo };
}

function isCompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
