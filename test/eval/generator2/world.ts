// The project a session works on (its files as they change) and the tool calls made against it,
// each with the result text and the structured `toolUseResult` Claude Code writes.
import { numbered, synthFile } from './code';
import type { Domain } from './domains';
import { Rng } from './rng';
import type { ToolCall } from './types';

const READ_REMINDER = '\n\n<system-reminder>\nWhen reading a file, consider whether it looks malicious. Analysing such code is fine; improving or extending it is not.\n</system-reminder>\n';

export class World {
  readonly files: Record<string, string> = {};
  /** Literals that are some fact's answer or stale value: distractors never use them. */
  readonly reserved = new Set<string>();
  /** Literals the project prints anyway (dependency and tool versions): a fact's value avoids them. */
  readonly taboo = new Set<string>(['3.11.9', '8.2.2', '1.5.0', '0.4.1']);
  /** Current commands (a preference fact can change one). */
  readonly cmd: { test: string; install: string; lint: string };
  private tasks = 0;

  constructor(
    readonly d: Domain,
    readonly seed: string,
    readonly sessionId: string,
    readonly rng: Rng,
  ) {
    for (const p of [...d.srcFiles, ...d.testFiles]) this.files[p] = synthFile(seed, d, p, p === d.bigFile);
    this.cmd = { test: d.testCmd, install: d.installCmd, lint: d.lintCmd };
    for (const [, v] of d.deps) this.taboo.add(v.replace(/^v/, ''));
  }

  abs(path: string): string {
    return path.startsWith('/') ? path : `${this.d.cwd}/${path}`;
  }

  /** Whether `value` clashes with a reserved literal (either contains the other). */
  clashes(value: string): boolean {
    const v = value.toLowerCase();
    for (const r of [...this.reserved, ...this.taboo]) {
      const rl = r.toLowerCase();
      if (v.includes(rl) || rl.includes(v)) return true;
    }
    return false;
  }

  /** Draws until the value clashes with no reserved literal. */
  fresh(draw: () => string): string {
    for (let i = 0; i < 200; i++) {
      const v = draw();
      if (!this.clashes(v)) return v;
    }
    throw new Error('generator2: no fresh value');
  }

  read(path: string, opts: { offset?: number; limit?: number } = {}): ToolCall {
    const content = this.files[path] ?? '';
    const all = content.replace(/\n$/, '').split('\n');
    const start = opts.offset ?? 1;
    const slice = all.slice(start - 1, opts.limit ? start - 1 + opts.limit : undefined);
    const input: Record<string, unknown> = { file_path: this.abs(path) };
    if (opts.offset) input.offset = opts.offset;
    if (opts.limit) input.limit = opts.limit;
    return {
      name: 'Read',
      input,
      output: numbered(slice.join('\n'), start) + (this.rng.chance(0.3) ? READ_REMINDER : ''),
      structured: { type: 'text', file: { filePath: this.abs(path), content: slice.join('\n'), numLines: slice.length, startLine: start, totalLines: all.length } },
    };
  }

  /** Replaces `oldString` (which must occur in the file) with `newString`. */
  edit(path: string, oldString: string, newString: string): ToolCall {
    const before = this.files[path];
    if (before === undefined || !before.includes(oldString)) throw new Error(`generator2: ${path} has no ${JSON.stringify(oldString)}`);
    const after = before.replace(oldString, newString);
    this.files[path] = after;
    const startLine = before.slice(0, before.indexOf(oldString)).split('\n').length;
    const lines = after.split('\n');
    const from = Math.max(1, startLine - 4);
    const snippet = lines.slice(from - 1, startLine + newString.split('\n').length + 4).join('\n');
    const oldLines = oldString.split('\n');
    const newLines = newString.split('\n');
    return {
      name: 'Edit',
      input: { file_path: this.abs(path), old_string: oldString, new_string: newString, replace_all: false },
      output: `The file ${this.abs(path)} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${numbered(snippet, from)}`,
      structured: {
        filePath: this.abs(path),
        oldString,
        newString,
        originalFile: before,
        structuredPatch: [{ oldStart: startLine, oldLines: oldLines.length, newStart: startLine, newLines: newLines.length, lines: [...oldLines.map((l) => '-' + l), ...newLines.map((l) => '+' + l)] }],
        userModified: false,
        replaceAll: false,
      },
    };
  }

  /** An edit that inserts `line` after a line of the file chosen by the session's stream. */
  insertAfterSomeLine(path: string, line: string, rng: Rng): ToolCall {
    const lines = (this.files[path] ?? '').split('\n');
    const candidates = lines.filter((l, i) => l.trim().length > 12 && lines.indexOf(l) === i && !/^\s*(\/\/|#|"""|\*)/.test(l));
    const anchor = rng.pick(candidates.length ? candidates : lines.filter((l) => l.trim() !== ''));
    const indent = /^\s*/.exec(anchor)![0];
    return this.edit(path, anchor, `${anchor}\n${indent}${line.trimStart()}`);
  }

  write(path: string, content: string): ToolCall {
    const existed = path in this.files;
    this.files[path] = content;
    return {
      name: 'Write',
      input: { file_path: this.abs(path), content },
      output: existed ? `The file ${this.abs(path)} has been updated.` : `File created successfully at: ${this.abs(path)}`,
      structured: { type: existed ? 'update' : 'create', filePath: this.abs(path), content, structuredPatch: [] },
    };
  }

  bash(command: string, output: string, opts: { error?: boolean; description?: string; exit?: number } = {}): ToolCall {
    const input: Record<string, unknown> = { command };
    if (opts.description) input.description = opts.description;
    if (opts.error) {
      const text = `Exit code ${opts.exit ?? 1}\n${output}`;
      return { name: 'Bash', input, output: text, isError: true, structured: `Error: ${text}` };
    }
    return { name: 'Bash', input, output, structured: { stdout: output, stderr: '', interrupted: false, isImage: false } };
  }

  /** A command started in the background; the caller adds the notification and reads `outputFile`. */
  background(command: string, description: string): { call: ToolCall; taskId: string; outputFile: string } {
    this.tasks++;
    const taskId = `b${this.rng.id(8).toLowerCase()}`;
    const outputFile = `/tmp/claude-1000/${this.d.cwd.replace(/[^a-zA-Z0-9]/g, '-')}/${this.sessionId}/tasks/${taskId}.output`;
    const text = `Command running in background with ID: ${taskId}. Output is being written to: ${outputFile}`;
    return { call: { name: 'Bash', input: { command, description, run_in_background: true }, output: text, structured: { stdout: '', stderr: '', interrupted: false, isImage: false, backgroundTaskId: taskId } }, taskId, outputFile };
  }

  readOutputFile(outputFile: string, text: string): ToolCall {
    const lines = text.split('\n');
    return { name: 'Read', input: { file_path: outputFile }, output: numbered(text), structured: { type: 'text', file: { filePath: outputFile, content: text, numLines: lines.length, startLine: 1, totalLines: lines.length } } };
  }

  grep(pattern: string, hits: string, mode: 'content' | 'files_with_matches' = 'content'): ToolCall {
    if (mode === 'files_with_matches') {
      const files = [...new Set(hits.split('\n').filter((l) => l.includes(':')).map((l) => this.abs(l.split(':')[0]!)))];
      return { name: 'Grep', input: { pattern, output_mode: mode }, output: files.length ? `Found ${files.length} files\n${files.join('\n')}` : 'No files found', structured: { mode, numFiles: files.length, filenames: files } };
    }
    return { name: 'Grep', input: { pattern, output_mode: 'content', '-n': true }, output: hits, structured: { mode, numFiles: 0, filenames: [], content: hits, numLines: hits.split('\n').length } };
  }

  glob(pattern: string, paths: string[]): ToolCall {
    const abs = paths.map((p) => this.abs(p));
    return { name: 'Glob', input: { pattern }, output: abs.length ? abs.join('\n') : 'No files found', structured: { filenames: abs, durationMs: this.rng.int(3, 60), numFiles: abs.length, truncated: false } };
  }

  todo(items: Array<[string, 'pending' | 'in_progress' | 'completed']>): ToolCall {
    const todos = items.map(([content, status]) => ({ content, status, activeForm: content.replace(/^(\w+)/, (w) => (w.endsWith('e') ? w.slice(0, -1) : w) + 'ing') }));
    return {
      name: 'TodoWrite',
      input: { todos },
      output: 'Todos have been modified successfully. Keep using the todo list to track progress, and carry on with the current task.',
      structured: { oldTodos: [], newTodos: todos },
    };
  }
}

export { Rng };
