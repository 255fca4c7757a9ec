// Finding Claude Code transcripts on disk (FORMATS.md §a, "Location" and "Subagents").
//
// A projects root can hold tens of thousands of files, so the walk reads directories only
// (readdir with file types) and opens a file only where its name cannot say what it is: a
// legacy `agent-*.jsonl` (whose parent session is inside) and a subagent's `.meta.json` sidecar.
import { closeSync, type Dirent, existsSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import type { LineIssue } from '../../model';
import { SESSION_ID_IN_TEXT, sniffJsonl } from '../sniff';
import { isObject, nonEmpty } from './build';

export interface DiscoveredFile {
  path: string;
  sessionId: string;
  kind: 'main' | 'subagent';
  agentId?: string;
  /** Task tool_use id that spawned it, from the agent-*.meta.json sidecar */
  toolUseId?: string;
  agentType?: string;
  description?: string;
}

/**
 * Folders where Claude Code keeps projects: `~/.claude/projects`, `$XDG_CONFIG_HOME/claude/projects`
 * (default `~/.config`), and `<dir>/projects` for each comma-separated `CLAUDE_CONFIG_DIR` entry.
 * Only folders that exist, each once.
 */
export function claudeProjectRoots(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string[] {
  const candidates = [join(home, '.claude', 'projects')];
  const xdg = env.XDG_CONFIG_HOME?.trim() || join(home, '.config');
  candidates.push(join(expandHome(xdg, home), 'claude', 'projects'));
  for (const entry of (env.CLAUDE_CONFIG_DIR ?? '').split(',')) {
    const dir = entry.trim();
    if (dir !== '') candidates.push(join(expandHome(dir, home), 'projects'));
  }
  const roots: string[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const dir = resolve(candidate);
    if (!isDirectory(dir)) continue;
    const key = realOrSelf(dir);
    if (seen.has(key)) continue;
    seen.add(key);
    roots.push(dir);
  }
  return roots;
}

function expandHome(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') || p.startsWith(`~${sep}`) ? join(home, p.slice(1)) : p;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** A file found but not read, and why: another agent's transcript, a format Loupe cannot read yet. */
export interface SkippedFile {
  file: string;
  reason: string;
}

export interface Discovery {
  files: DiscoveredFile[];
  issues: LineIssue[];
  skipped: SkippedFile[];
}

/**
 * Every Claude Code transcript under `paths` (each a `.jsonl` file, a project folder, a projects
 * root or any folder, walked recursively), sorted by path. Subagent files are returned as
 * `subagent` with their parent's session id, never as sessions of their own. Other agents'
 * JSONL and the `.json`/`.md` transcripts of other agents are listed in `skipped`.
 */
export function discoverClaudeFiles(paths: string[]): Discovery {
  const walk = new Walk();
  for (const p of paths) walk.visitRoot(resolve(p));
  const files = [...walk.found.values()].sort((a, b) => compare(a.path, b.path));
  return { files, issues: walk.issues, skipped: walk.skipped.sort((a, b) => compare(a.file, b.file)) };
}

/**
 * Claude Code names a session's file by its id. A file named otherwise (a transcript committed to a
 * repository as `claude-session.jsonl`, say) is opened to learn its session from its records.
 */
const SESSION_FILE_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Files beside transcripts that Claude Code itself writes: neither sessions nor worth a mention. */
const CLAUDE_COMPANIONS = /(^sessions-index\.json$|\.meta\.json$)/;
/** Other agents keep transcripts in these (Gemini CLI, OpenCode, Cline: JSON; Aider: markdown). */
const OTHER_TRANSCRIPT_EXTENSIONS = ['.json', '.md'];

/** The first lines of a file name its session and its writer early on; a few KB is plenty. */
const HEAD_BYTES = 16_384;
const SUBAGENTS_DIR = 'subagents';
const WORKFLOWS_DIR = 'workflows';
const WORKFLOW_JOURNAL = 'journal.jsonl';

class Walk {
  readonly found = new Map<string, DiscoveredFile>();
  readonly issues: LineIssue[] = [];
  readonly skipped: SkippedFile[] = [];
  /** Real paths of folders already walked: symlinks may loop, and roots may overlap. */
  private readonly walked = new Set<string>();

  visitRoot(p: string): void {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (err) {
      this.issue(p, err);
      return;
    }
    if (isDir) this.walkDir(p);
    else if (p.endsWith('.jsonl')) this.classify(p, undefined);
    else this.skipped.push({ file: p, reason: 'not a .jsonl file: Loupe reads Claude Code JSONL transcripts' });
  }

  private walkDir(dir: string): void {
    const real = realOrSelf(dir);
    if (this.walked.has(real)) return;
    this.walked.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      this.issue(dir, err);
      return;
    }
    // Sidecars are looked up in this listing rather than with a stat per agent file.
    const names = new Set(entries.map((e) => e.name));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = statSync(full);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch (err) {
          this.issue(full, err);
          continue;
        }
      }
      if (isDir) this.walkDir(full);
      else if (isFile && entry.name.endsWith('.jsonl')) this.classify(full, names);
      else if (isFile && isOtherTranscript(entry.name)) {
        this.skipped.push({ file: full, reason: `a ${extname(entry.name)} file: Loupe reads Claude Code JSONL transcripts only, for now` });
      }
    }
  }

  /** `siblings`: names in the file's folder when known, to find a sidecar without touching disk. */
  private classify(path: string, siblings: ReadonlySet<string> | undefined): void {
    if (this.found.has(path)) return;
    const name = basename(path);
    const segments = dirname(path).split(sep);
    const subagentsAt = segments.lastIndexOf(SUBAGENTS_DIR);
    // Judged by the layout next to the file, so that a `subagents` folder higher up (in a home
    // path, say) does not turn every session below it into a subagent.
    const inSubagents =
      subagentsAt > 0 && (subagentsAt === segments.length - 1 || segments[subagentsAt + 1] === WORKFLOWS_DIR);

    if (inSubagents) {
      // <enc>/<sessionId>/subagents/[workflows/wf_<id>/]agent-<agentId>.jsonl
      if (name === WORKFLOW_JOURNAL) return;
      const sessionId = segments[subagentsAt - 1] ?? '';
      const agentId = agentIdOf(name);
      const file: DiscoveredFile = { path, sessionId, kind: 'subagent', agentId };
      this.readSidecar(file, agentId, siblings);
      this.found.set(path, file);
      return;
    }
    if (name.startsWith('agent-')) {
      // Legacy layout: <enc>/agent-<agentId>.jsonl beside the sessions, its parent named inside.
      const sessionId = this.sessionIdFromHead(path);
      if (sessionId !== undefined) this.found.set(path, { path, sessionId, kind: 'subagent', agentId: agentIdOf(name) });
      return;
    }
    const stem = name.slice(0, -'.jsonl'.length);
    if (SESSION_FILE_NAME.test(stem)) {
      this.found.set(path, { path, sessionId: stem, kind: 'main' });
      return;
    }
    const head = this.readHead(path);
    if (head === undefined) return;
    const sniffed = sniffJsonl(head);
    // An empty file may be a session just started: nothing to read yet, nothing to skip.
    if (sniffed.agent !== 'claude-code' && head.trim() !== '') {
      this.skipped.push({ file: path, reason: `${sniffed.description}, not a Claude Code transcript: Loupe cannot read it yet` });
      return;
    }
    // The name is only a hint; ingest files each event under the session its line names.
    this.found.set(path, { path, sessionId: sniffed.sessionId ?? stem, kind: 'main' });
  }

  private readSidecar(file: DiscoveredFile, agentId: string, siblings: ReadonlySet<string> | undefined): void {
    const sidecarName = `agent-${agentId}.meta.json`;
    const sidecar = join(dirname(file.path), sidecarName);
    if (siblings ? !siblings.has(sidecarName) : !existsSync(sidecar)) return;
    let meta: unknown;
    try {
      meta = JSON.parse(readFileSync(sidecar, 'utf8'));
    } catch (err) {
      this.issue(sidecar, err);
      return;
    }
    if (!isObject(meta)) return;
    const toolUseId = nonEmpty(meta.toolUseId);
    if (toolUseId !== undefined) file.toolUseId = toolUseId;
    const agentType = nonEmpty(meta.agentType);
    if (agentType !== undefined) file.agentType = agentType;
    const description = nonEmpty(meta.description);
    if (description !== undefined) file.description = description;
  }

  private readHead(path: string): string | undefined {
    try {
      const fd = openSync(path, 'r');
      try {
        const buf = Buffer.alloc(HEAD_BYTES);
        const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
        return buf.toString('utf8', 0, n);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      this.issue(path, err);
      return undefined;
    }
  }

  private sessionIdFromHead(path: string): string | undefined {
    const head = this.readHead(path);
    if (head === undefined) return undefined;
    const firstLine = head.split('\n', 1)[0] ?? '';
    const id = SESSION_ID_IN_TEXT.exec(firstLine)?.[1];
    // An empty agent file has nothing to ingest yet; one without a session id cannot be placed.
    if (id === undefined && firstLine.trim() !== '') {
      this.issues.push({ file: path, line: 0, message: `no sessionId in the first ${HEAD_BYTES} bytes of a legacy agent file` });
    }
    return id;
  }

  private issue(path: string, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.issues.push({ file: path, line: 0, message });
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isOtherTranscript(name: string): boolean {
  return OTHER_TRANSCRIPT_EXTENSIONS.includes(extname(name)) && !CLAUDE_COMPANIONS.test(name);
}

/** `agent-a1b2c3.jsonl` → `a1b2c3`. */
function agentIdOf(name: string): string {
  const stem = name.slice(0, -'.jsonl'.length);
  return stem.startsWith('agent-') ? stem.slice('agent-'.length) : stem;
}
