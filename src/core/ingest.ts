// Ingest: transcript files on disk → events in the store, incrementally.
//
// Each file records how many bytes were ingested and a hash of its head. Re-ingesting reads only
// what was appended; an unchanged file is not read at all; a file that shrank or whose head
// changed (rewritten, replaced) is forgotten and read again from byte 0. A half-written last line
// is left for the next ingest. Loupe never writes to a transcript.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { LineIssue, ParsedEvent, SessionFacts } from './model';
import { appendEvents, findTaskCall, rebuildTurns, refreshMainLine, renumberTurns, turnAtSeq } from './store/events';
import type { FileState, Store } from './store/store';
import { claudeProjectRoots, discoverClaudeFiles, type DiscoveredFile } from './transcript/claude/discover';
import { parseClaudeLine } from './transcript/claude/parse';
import { splitCompleteLines } from './transcript/jsonl';

export interface IngestProgress {
  filesDone: number;
  filesTotal: number;
  bytesRead: number;
}

export interface IngestOptions {
  onProgress?: (progress: IngestProgress) => void;
  /** Transcript bytes ingested per transaction (each transaction is one save of the database). */
  batchBytes?: number;
  now?: () => Date;
}

export interface IngestReport {
  /** Sessions that received new events. */
  sessions: string[];
  filesRead: number;
  filesUnchanged: number;
  filesRestarted: number;
  bytesRead: number;
  events: number;
  /** Lines skipped (with file and line number) and files that could not be read. */
  issues: LineIssue[];
}

const HEAD_BYTES = 4096;
const CHUNK_BYTES = 16 * 1024 * 1024;

/** Ingests the Claude Code sessions found in the default places (see `claudeProjectRoots`). */
export function ingestDefault(store: Store, options: IngestOptions = {}): Promise<IngestReport> {
  return ingestPaths(store, claudeProjectRoots(), options);
}

/** Ingests transcript files and folders (searched recursively). */
export async function ingestPaths(store: Store, paths: string[], options: IngestOptions = {}): Promise<IngestReport> {
  const discovered = discoverClaudeFiles(paths);
  const report: IngestReport = {
    sessions: [],
    filesRead: 0,
    filesUnchanged: 0,
    filesRestarted: 0,
    bytesRead: 0,
    events: 0,
    issues: [...discovered.issues],
  };
  const sessions = [...groupBySession(discovered.files).values()];
  store.refresh();
  store.reserve(Math.round(pendingBytes(store, discovered.files) * DATABASE_BYTES_PER_TRANSCRIPT_BYTE));
  const batchBytes = options.batchBytes ?? 32 * 1024 * 1024;
  const now = options.now ?? (() => new Date());
  let next = 0;
  let filesDone = 0;
  while (next < sessions.length) {
    // One transaction (and one save) per batch of sessions: saving after every session would
    // rewrite the whole database file once per session.
    store.write(() => {
      const start = report.bytesRead;
      while (next < sessions.length && report.bytesRead - start < batchBytes) {
        const files = sessions[next++]!;
        ingestSession(store, files, report);
        filesDone += files.length;
      }
      store.recordIssues(report.issues, now().toISOString());
    });
    options.onProgress?.({ filesDone, filesTotal: discovered.files.length, bytesRead: report.bytesRead });
    // Let the event loop breathe between transactions (the extension host shares it).
    if (next < sessions.length) await new Promise((resolve) => setImmediate(resolve));
  }
  return report;
}

/** What the benchmark measures (0.45 MB of database per MB of transcript), rounded up. */
const DATABASE_BYTES_PER_TRANSCRIPT_BYTE = 0.5;

/** Transcript bytes not ingested yet (approximately: a rewritten file counts as unchanged). */
function pendingBytes(store: Store, files: DiscoveredFile[]): number {
  let total = 0;
  for (const file of files) {
    try {
      total += Math.max(0, statSync(file.path).size - (store.getFile(file.path)?.bytesIngested ?? 0));
    } catch {
      // unreadable: reported when it is read
    }
  }
  return total;
}

function groupBySession(files: DiscoveredFile[]): Map<string, DiscoveredFile[]> {
  const map = new Map<string, DiscoveredFile[]>();
  for (const file of files) {
    let list = map.get(file.sessionId);
    if (!list) map.set(file.sessionId, (list = []));
    list.push(file);
  }
  // The main file first: subagent events hang under calls it holds.
  for (const list of map.values()) list.sort((a, b) => (a.kind === b.kind ? a.path.localeCompare(b.path) : a.kind === 'main' ? -1 : 1));
  return map;
}

/** Ingests what is new in the files of one session. Runs inside a store transaction. */
function ingestSession(store: Store, files: DiscoveredFile[], report: IngestReport): void {
  const sessionId = files[0]!.sessionId;
  const main = files.find((f) => f.kind === 'main');
  let firstNewSeq: number | null = null;
  let mainChanged = false;
  // Created on first use, so that an empty file does not make an empty session.
  let key = store.key(sessionId);
  const session = () => (key ||= store.upsertSession(sessionId, 'claude-code', main?.path ?? null, {}));
  for (const file of files) {
    const read = readNewLines(store, session, file, report);
    if (!read) continue;
    const facts: SessionFacts = {};
    const events: ParsedEvent[] = [];
    for (const line of read.lines) {
      const result = parseClaudeLine(line, file.path);
      if (result.issue) report.issues.push(result.issue);
      Object.assign(facts, definedOnly(result.facts));
      for (const ev of result.events) events.push(ev);
    }
    if (file.kind === 'main') store.upsertSession(sessionId, 'claude-code', file.path, facts);
    const taskCallId = file.kind === 'subagent' ? findTaskCall(store.db, key, file.toolUseId, file.agentId) : null;
    const seq = appendEvents(store.db, { session: key, fileId: read.state.id, taskCallId }, events);
    if (seq !== null && (firstNewSeq === null || seq < firstNewSeq)) firstNewSeq = seq;
    if (file.kind === 'main' && events.length > 0) mainChanged = true;
    report.events += events.length;
    store.updateFile(read.state);
  }
  if (firstNewSeq === null) return;
  let fromSeq = firstNewSeq;
  if (mainChanged) {
    const flipped = refreshMainLine(store.db, key);
    // New events were numbered as if on the main line; a flip anywhere means renumbering from it.
    if (flipped !== null) {
      fromSeq = Math.min(fromSeq, flipped);
      renumberTurns(store.db, key, fromSeq);
    }
  }
  rebuildTurns(store.db, key, Math.max(1, turnAtSeq(store.db, key, fromSeq)));
  store.touchSession(key);
  report.sessions.push(sessionId);
}

function definedOnly(facts: SessionFacts): SessionFacts {
  const out: SessionFacts = {};
  for (const [key, value] of Object.entries(facts)) if (value) (out as Record<string, string>)[key] = value;
  return out;
}

/**
 * Reads the complete lines appended to `file` since the last ingest, and the file state to record
 * once they are stored. Returns null when there is nothing new (or the file cannot be read, which
 * is reported as an issue).
 */
function readNewLines(
  store: Store,
  session: () => number,
  file: DiscoveredFile,
  report: IngestReport,
): { lines: ReturnType<typeof splitCompleteLines>['lines']; state: FileState } | null {
  let fd: number;
  try {
    fd = openSync(file.path, 'r');
  } catch (err) {
    report.issues.push({ file: file.path, line: 0, message: `cannot read: ${(err as Error).message}` });
    return null;
  }
  try {
    const stat = fstatSync(fd);
    let state = store.getFile(file.path);
    if (state && state.bytesIngested > 0) {
      const headLength = Math.min(HEAD_BYTES, state.bytesIngested);
      const shrank = stat.size < state.bytesIngested;
      if (shrank || hashHead(fd, headLength) !== state.headHash) {
        // Subagent events hang under calls of the main file: a rewritten main file restarts them all.
        const restart = file.kind === 'main' ? store.filesOfSessionKey(state.session) : [state];
        for (const f of restart) store.deleteFileEvents(f.id);
        state = store.getFile(file.path)!;
        report.filesRestarted++;
      } else if (stat.size === state.bytesIngested) {
        report.filesUnchanged++;
        return null;
      }
    }
    const from = state?.bytesIngested ?? 0;
    const { lines, endOffset, nextLine } = readLinesFrom(fd, from, stat.size, state?.nextLine ?? 1);
    report.filesRead++;
    report.bytesRead += endOffset - from;
    if (endOffset === from) return null; // empty, or only a half-written line so far
    state ??= store.ensureFile(file.path, session(), file.agentId ?? null);
    const next: FileState = {
      ...state,
      bytesIngested: endOffset,
      nextLine,
      headHash: hashHead(fd, Math.min(HEAD_BYTES, endOffset)),
      size: stat.size,
      mtimeMs: Math.floor(stat.mtimeMs),
    };
    return { lines, state: next };
  } finally {
    closeSync(fd);
  }
}

/** Reads complete lines from `offset` to `size`, chunk by chunk (a single line may exceed a chunk). */
function readLinesFrom(fd: number, offset: number, size: number, firstLine: number) {
  const lines: ReturnType<typeof splitCompleteLines>['lines'] = [];
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

const NEWLINE = Buffer.from('\n');

function isCompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function hashHead(fd: number, length: number): string {
  const buf = Buffer.alloc(length);
  readSync(fd, buf, 0, length, 0);
  return createHash('sha1').update(buf).digest('hex');
}
