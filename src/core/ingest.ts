// Ingest: transcript files on disk → events in the store, incrementally.
//
// Each file records how many bytes were ingested and a hash of its head. Re-ingesting reads only
// what was appended; an unchanged file is not read at all; a file that shrank or whose head
// changed (rewritten, replaced) is forgotten and read again from byte 0. A half-written last line
// is left for the next ingest. Loupe never writes to a transcript.
//
// Three steps per session: plan (what to read, from the stored file states), read + parse (in a
// worker thread when one is available), apply (in a store transaction, batched). The worker runs
// ahead of the writes, so the two halves of the work overlap.
import { statSync } from 'node:fs';
import type { LineIssue, ParsedEvent, SessionFacts } from './model';
import { appendEvents, findTaskCall, mainLineOfBatch, rebuildTurns, refreshMainLine, renumberTurns, turnAtSeq } from './store/events';
import type { Store } from './store/store';
import { claudeProjectRoots, discoverClaudeFiles, type DiscoveredFile, type SkippedFile } from './transcript/claude/discover';
import { defaultWorkerScript, ParsePool, parseInline, type ParseOutcome } from './transcript/parse-pool';
import { HEAD_BYTES, hashFileHead, type ReadJob, type ReadResult } from './transcript/read';

export interface IngestProgress {
  filesDone: number;
  filesTotal: number;
  bytesRead: number;
}

export interface IngestOptions {
  onProgress?: (progress: IngestProgress) => void;
  /** Transcript bytes ingested per transaction (each transaction is one save of the database). */
  batchBytes?: number;
  /** The parse worker bundle; null parses on the calling thread. Default: beside this bundle. */
  workerScript?: string | null;
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
  /** Files found but not read: other agents' transcripts, formats Loupe cannot read yet. */
  skipped: SkippedFile[];
  /** Whether files were parsed in a worker thread (false: on the calling thread). */
  threaded: boolean;
}

/** Transcript bytes parsed ahead of the writes (bounds the memory held by parsed events). */
const READ_AHEAD_BYTES = 48 * 1024 * 1024;
/** What the benchmark measures (0.4 MB of database per MB of transcript), rounded up. */
const DATABASE_BYTES_PER_TRANSCRIPT_BYTE = 0.5;

/** Ingests the Claude Code sessions found in the default places (see `claudeProjectRoots`). */
export function ingestDefault(store: Store, options: IngestOptions = {}): Promise<IngestReport> {
  return ingestPaths(store, claudeProjectRoots(), options);
}

interface PlannedFile {
  file: DiscoveredFile;
  /** The stored state no longer matches the file: forget it and read from byte 0. */
  restart: boolean;
  job: ReadJob;
  parsed: Promise<ParseOutcome>;
}

interface PlannedSession {
  files: DiscoveredFile[];
  parts: PlannedFile[];
  bytes: number;
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
    skipped: discovered.skipped,
    threaded: false,
  };
  const sessions = [...groupBySession(discovered.files).values()];
  const batchBytes = options.batchBytes ?? 64 * 1024 * 1024;
  const now = options.now ?? (() => new Date());
  store.refresh();
  const sizes = new Map(discovered.files.map((f) => [f.path, sizeOf(f.path)]));
  const pool = new ParsePool(options.workerScript === undefined ? defaultWorkerScript() : options.workerScript);
  const queue: PlannedSession[] = [];
  let next = 0;
  let ahead = 0;
  const dispatch = () => {
    while (next < sessions.length && ahead < READ_AHEAD_BYTES) {
      const planned = planSession(store, sessions[next++]!, sizes, pool, report);
      queue.push(planned);
      ahead += planned.bytes;
    }
  };
  let filesDone = 0;
  try {
    dispatch();
    // After the first reads are under way, so the worker starts while the room is made.
    store.reserve(Math.round(pendingBytes(store, sizes) * DATABASE_BYTES_PER_TRANSCRIPT_BYTE));
    while (queue.length > 0) {
      // One transaction (and one save) per batch: saving per session would rewrite the whole
      // database file once per session. Sessions are applied as soon as they are parsed, so the
      // writes here overlap with the worker's reading of the next ones.
      let files = 0;
      await store.writeAsync(async () => {
        let bytes = 0;
        while (queue.length > 0 && bytes < batchBytes) {
          const planned = queue.shift()!;
          const outcomes = await Promise.all(planned.parts.map((p) => p.parsed));
          ahead -= planned.bytes;
          bytes += planned.bytes;
          dispatch();
          applySession(store, planned, outcomes, report);
          files += planned.files.length;
          store.file.refreshLock();
        }
        store.recordIssues(report.issues, now().toISOString());
      });
      filesDone += files;
      options.onProgress?.({ filesDone, filesTotal: discovered.files.length, bytesRead: report.bytesRead });
    }
    report.threaded = pool.threaded;
  } finally {
    pool.close();
  }
  return report;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // unreadable: reported when it is read
  }
}

/** Transcript bytes not ingested yet (approximately: a rewritten file counts as unchanged). */
function pendingBytes(store: Store, sizes: Map<string, number>): number {
  let total = 0;
  for (const [path, size] of sizes) total += Math.max(0, size - (store.getFile(path)?.bytesIngested ?? 0));
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

/** Decides what to read of each file of a session, and starts reading it. */
function planSession(
  store: Store,
  files: DiscoveredFile[],
  sizes: Map<string, number>,
  pool: ParsePool,
  report: IngestReport,
): PlannedSession {
  const parts: PlannedFile[] = [];
  let bytes = 0;
  let restartAll = false;
  for (const file of files) {
    const size = sizes.get(file.path) ?? 0;
    const state = store.getFile(file.path);
    let restart = restartAll;
    if (!restart && state && state.bytesIngested > 0) {
      restart = size < state.bytesIngested || headChanged(file.path, state.bytesIngested, state.headHash);
      if (!restart && size === state.bytesIngested) {
        report.filesUnchanged++;
        continue;
      }
    }
    // Subagent events hang under calls of the main file: a rewritten main file restarts them all.
    if (restart && file.kind === 'main') restartAll = true;
    const job: ReadJob =
      restart || !state ? { path: file.path, from: 0, firstLine: 1 } : { path: file.path, from: state.bytesIngested, firstLine: state.nextLine };
    parts.push({ file, restart: restart && state !== undefined, job, parsed: pool.parse(job) });
    bytes += size - job.from;
  }
  return { files, parts, bytes };
}

function headChanged(path: string, bytesIngested: number, headHash: string): boolean {
  try {
    return hashFileHead(path, Math.min(HEAD_BYTES, bytesIngested)) !== headHash;
  } catch {
    return false; // unreadable now: the read reports it
  }
}

/** What one apply did to one session: where its new events start, and whether it forked. */
interface Touched {
  sessionId: string;
  key: number;
  firstNewSeq: number | null;
  /** Set when a rewind reaches back before this batch: stored main-line flags must be recomputed. */
  forked: boolean;
}

/** Stores what was read of one session's files. Runs inside a store transaction. */
function applySession(store: Store, planned: PlannedSession, outcomes: ParseOutcome[], report: IngestReport): void {
  const touched = new Map<string, Touched>();
  // Created on first use, so that an empty file does not make an empty session. A main file's
  // facts (title, cwd, …) are merged into its session on every use; a subagent's only creates it.
  const sessionOf = (sessionId: string, mainFile: string | null, facts: SessionFacts): Touched => {
    const seen = touched.get(sessionId);
    const key =
      mainFile !== null
        ? store.upsertSession(sessionId, 'claude-code', mainFile, facts)
        : (seen?.key ?? (store.key(sessionId) || store.upsertSession(sessionId, 'claude-code', null, {})));
    if (seen) return seen;
    const t: Touched = { sessionId, key, firstNewSeq: null, forked: false };
    touched.set(sessionId, t);
    return t;
  };
  planned.parts.forEach((part, i) => {
    const result = resultToApply(store, part, outcomes[i]!, report);
    if (!result) return;
    report.filesRead++;
    report.bytesRead += result.endOffset - result.from;
    for (const issue of result.issues) report.issues.push(issue);
    if (result.endOffset === result.from) return; // empty, or only a half-written line so far
    const { file } = part;
    const groups = eventsBySession(result.events, file.sessionId);
    const mainFile = file.kind === 'main' ? file.path : null;
    const owner = groups.owner;
    const ownerFacts = { ...result.facts[''], ...result.facts[owner] };
    const ownerSession = sessionOf(owner, mainFile, ownerFacts);
    const state = store.getFile(file.path) ?? store.ensureFile(file.path, ownerSession.key, file.agentId ?? null);
    for (const [sessionId, events] of groups.bySession) {
      const t = sessionId === owner ? ownerSession : sessionOf(sessionId, mainFile, result.facts[sessionId] ?? {});
      const taskCallId = file.kind === 'subagent' ? findTaskCall(store.db, t.key, file.toolUseId, file.agentId) : null;
      const main = file.kind === 'main' ? mainLineOfBatch(store.db, t.key, events) : undefined;
      if (main?.olderChanged) t.forked = true;
      const seq = appendEvents(store.db, { session: t.key, fileId: state.id, taskCallId }, events, main?.flags);
      if (seq !== null && (t.firstNewSeq === null || seq < t.firstNewSeq)) t.firstNewSeq = seq;
    }
    report.events += result.events.length;
    store.updateFile({
      ...state,
      bytesIngested: result.endOffset,
      nextLine: result.nextLine,
      headHash: result.headHash,
      size: result.size,
      mtimeMs: result.mtimeMs,
    });
  });
  for (const t of touched.values()) {
    if (t.firstNewSeq === null) continue;
    let fromSeq: number = t.firstNewSeq;
    if (t.forked) {
      const flipped = refreshMainLine(store.db, t.key);
      // New events were numbered as if on the main line; a flip anywhere means renumbering from it.
      if (flipped !== null) {
        fromSeq = Math.min(fromSeq, flipped);
        renumberTurns(store.db, t.key, fromSeq);
      }
    }
    rebuildTurns(store.db, t.key, Math.max(1, turnAtSeq(store.db, t.key, fromSeq)));
    store.touchSession(t.key);
    // Recall's index and graph catch up when recall, related or gc next run (recordAll): building
    // them here, in the ingest transaction, made ingest three times slower (0.35x -> 0.12x of the
    // read+parse baseline on the 100 MB bench).
    report.sessions.push(t.sessionId);
  }
}

/**
 * A file's events by the session their lines name. Claude Code names every conversation line's
 * session; the file's name is only a hint (transcripts committed to repositories are all called
 * `claude-session.jsonl`), used for lines that name none (a legacy `summary`). The file belongs
 * to its hinted session when any line names it, else to the first session a line names.
 */
export function eventsBySession(events: readonly ParsedEvent[], hint: string): { owner: string; bySession: Map<string, ParsedEvent[]> } {
  let named: string | undefined;
  let hintNamed = false;
  for (const ev of events) {
    if (ev.sessionId === undefined) continue;
    named ??= ev.sessionId;
    if (ev.sessionId === hint) {
      hintNamed = true;
      break;
    }
  }
  const owner = hintNamed || named === undefined ? hint : named;
  const bySession = new Map<string, ParsedEvent[]>();
  for (const ev of events) {
    const sessionId = ev.sessionId ?? owner;
    let list = bySession.get(sessionId);
    if (!list) bySession.set(sessionId, (list = []));
    list.push(ev);
  }
  return { owner, bySession };
}

/**
 * The parse result to store for one planned file, after checking the plan still holds: another
 * process (a second VS Code window, the CLI) may have ingested the file since it was planned, in
 * which case it is planned and read again here.
 */
function resultToApply(store: Store, part: PlannedFile, outcome: ParseOutcome, report: IngestReport): ReadResult | null {
  if (!outcome.ok) {
    report.issues.push({ file: part.file.path, line: 0, message: `cannot read: ${outcome.message}` });
    return null;
  }
  const state = store.getFile(part.file.path);
  if (part.restart) {
    if (state) {
      const files = part.file.kind === 'main' ? store.filesOfSessionKey(state.session) : [state];
      for (const f of files) store.deleteFileEvents(f.id);
    }
    report.filesRestarted++;
    return outcome.result;
  }
  if ((state?.bytesIngested ?? 0) === part.job.from) return outcome.result;
  // Stale plan: read again from where the store now says.
  if (state && state.bytesIngested === sizeOf(part.file.path)) return null;
  const again = parseInline({ path: part.file.path, from: state?.bytesIngested ?? 0, firstLine: state?.nextLine ?? 1 });
  return resultToApply(store, { ...part, job: { ...part.job, from: state?.bytesIngested ?? 0 } }, again, report);
}
