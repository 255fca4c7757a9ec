// Tool calls and tool results of Claude Code: a readable one-line rendering of a call, the files it
// names, the text of a result, and the small facts of the structured `toolUseResult`.
//
// `toolUseResult` repeats the tool's whole output (file contents, stdout, the original file of an
// edit) next to the `tool_result` block that already holds it: only counts and names are kept here.
import { countLines } from '../../text';
import { type Json, isObject, num, scalarFields, str } from './build';

/** Tool input keys that name a file or folder the call works on. */
const PATH_KEYS = ['file_path', 'notebook_path', 'path'] as const;

export function toolCallPaths(input: Json): string[] {
  const out: string[] = [];
  for (const k of PATH_KEYS) {
    const p = str(input[k]);
    if (p !== undefined && p !== '' && !out.includes(p)) out.push(p);
  }
  return out;
}

/**
 * One line a human can scan on a timeline: `Read /a/b.ts`, `Bash: npm test`. Tools without a
 * special form show their input as JSON (cut by the caller).
 */
export function renderToolCall(name: string, input: Json, inputJson: string): string {
  const file = str(input.file_path) ?? str(input.notebook_path);
  switch (name) {
    case 'Read':
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
    case 'NotebookEdit':
    case 'NotebookRead':
      if (file !== undefined) return `${name} ${file}`;
      break;
    case 'Bash': {
      const command = str(input.command);
      if (command !== undefined) return `Bash: ${command}`;
      break;
    }
    case 'Grep':
    case 'Glob': {
      const pattern = str(input.pattern);
      if (pattern === undefined) break;
      const where = str(input.path);
      return where ? `${name} "${pattern}" in ${where}` : `${name} "${pattern}"`;
    }
    case 'Task':
    case 'Agent': {
      const description = str(input.description) ?? '';
      const type = str(input.subagent_type);
      return type ? `${name} (${type}): ${description}` : `${name}: ${description}`;
    }
    case 'WebFetch': {
      const url = str(input.url);
      if (url !== undefined) return `WebFetch ${url}`;
      break;
    }
    case 'WebSearch': {
      const query = str(input.query);
      if (query !== undefined) return `WebSearch "${query}"`;
      break;
    }
  }
  return `${name} ${inputJson}`;
}

/** A call's text: its one-line rendering, then what an edit tool writes (see toolCallBody). */
export function toolCallText(name: string, input: Json, inputJson: string = JSON.stringify(input)): string {
  const body = toolCallBody(name, input);
  const rendered = renderToolCall(name, input, inputJson);
  return body === undefined ? rendered : `${rendered}\n${body}`;
}

/**
 * What an edit tool writes, as the lines after its call's first line: a Write's content, an
 * Edit's replaced and new text as `-`/`+` lines (one edit after another for MultiEdit), a notebook
 * cell's new source. That text is the fact an edit establishes (the port it set, the name it
 * chose), and it is what the model wrote into its context, so it is part of the event: searched,
 * shown at R0, folded at R1. Other tools have no body: their input is on the first line.
 */
export function toolCallBody(name: string, input: Json): string | undefined {
  switch (name) {
    case 'Write':
      return str(input.content);
    case 'Edit':
      return editDiff(input);
    case 'MultiEdit': {
      const edits = Array.isArray(input.edits) ? input.edits.filter(isObject) : [];
      const parts = edits.map(editDiff).filter((d): d is string => d !== undefined);
      return parts.length > 0 ? parts.join('\n') : undefined;
    }
    case 'NotebookEdit': {
      const source = str(input.new_source);
      if (source === undefined) return undefined;
      const mode = str(input.edit_mode);
      return mode === 'delete' ? undefined : source;
    }
  }
  return undefined;
}

function editDiff(edit: Json): string | undefined {
  const oldText = str(edit.old_string);
  const newText = str(edit.new_string);
  if (oldText === undefined && newText === undefined) return undefined;
  const lines = (text: string | undefined, sign: string) => (text ? text.split('\n').map((l) => `${sign} ${l}`) : []);
  return [...lines(oldText, '-'), ...lines(newText, '+')].join('\n');
}

/** The text of a `tool_result` block: a string, or text blocks joined; images become a marker. */
export function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const block of content) {
    if (typeof block === 'string') parts.push(block);
    else if (isObject(block)) {
      const type = str(block.type) ?? '';
      if (type === 'text') parts.push(str(block.text) ?? '');
      else parts.push(`[${type || 'block'}]`);
    }
  }
  return parts.join('\n');
}

/** The text of a server tool's result block (web search): result titles and addresses. */
export function serverToolResultText(block: Json): { text: string; isError: boolean } {
  const content = block.content;
  if (isObject(content)) {
    const code = str(content.error_code) ?? str(content.type) ?? 'error';
    return { text: `error: ${code}`, isError: true };
  }
  if (!Array.isArray(content)) return { text: toolResultText(content), isError: false };
  const lines: string[] = [];
  for (const r of content) {
    if (!isObject(r)) continue;
    const title = str(r.title);
    const url = str(r.url);
    if (title !== undefined || url !== undefined) lines.push([title, url].filter(Boolean).join(' — '));
    else if (str(r.type) === 'text') lines.push(str(r.text) ?? '');
  }
  return { text: lines.join('\n'), isError: false };
}

export interface ResultSummary {
  /** Which shape was recognised: read, edit, write, bash, todo, task, error, string, unknown. */
  shape: string;
  result: Json;
  paths: string[];
  isError: boolean;
}

/** "Exit code 1" heads the output of a failed command; later occurrences may be the command's own text. */
const EXIT_CODE = /^(?:Error: )?Exit code (-?\d+)/m;
const EXIT_CODE_WINDOW = 400;

/**
 * The small facts of a `toolUseResult`. Its shape says which tool made it (the line itself only
 * has the `tool_use_id`), so shapes are recognised by their fields, most specific first.
 */
export function summarizeToolUseResult(tur: unknown, resultText: string): ResultSummary | undefined {
  if (tur === undefined || tur === null) return undefined;
  if (typeof tur === 'string') {
    const firstLine = tur.split('\n', 1)[0] ?? '';
    const isError = tur.startsWith('Error');
    return {
      shape: isError ? 'error' : 'string',
      result: { message: firstLine.slice(0, 200), length: tur.length },
      paths: [],
      isError,
    };
  }
  if (Array.isArray(tur)) return { shape: 'unknown', result: { count: tur.length }, paths: [], isError: false };
  if (!isObject(tur)) return { shape: 'unknown', result: { value: tur }, paths: [], isError: false };

  const file = tur.file;
  if (isObject(file) && typeof file.filePath === 'string') {
    return {
      shape: 'read',
      result: pick({
        filePath: file.filePath,
        numLines: num(file.numLines),
        startLine: num(file.startLine),
        totalLines: num(file.totalLines),
      }),
      paths: [file.filePath],
      isError: false,
    };
  }

  const filePath = str(tur.filePath);
  const isWrite = (tur.type === 'create' || tur.type === 'update') && 'content' in tur;
  if (filePath !== undefined && (isWrite || Array.isArray(tur.structuredPatch) || 'oldString' in tur || 'edits' in tur)) {
    const { added, removed } = patchCounts(tur.structuredPatch);
    const type = str(tur.type) ?? (Array.isArray(tur.edits) ? 'multiedit' : 'edit');
    // A created file has an empty patch: every line of it is new.
    const content = str(tur.content);
    const wholeFile = type === 'create' && added === 0 && removed === 0 && content !== undefined;
    return {
      shape: type === 'create' || type === 'update' ? 'write' : 'edit',
      result: { filePath, type, added: wholeFile ? countLines(content) : added, removed, edited: [filePath] },
      paths: [filePath],
      isError: false,
    };
  }

  if (typeof tur.stdout === 'string' || typeof tur.stderr === 'string') {
    const interrupted = tur.interrupted === true;
    const exit = EXIT_CODE.exec(resultText.slice(0, EXIT_CODE_WINDOW));
    return {
      shape: 'bash',
      result: pick({
        stdoutLength: str(tur.stdout)?.length ?? 0,
        stderrLength: str(tur.stderr)?.length ?? 0,
        interrupted,
        exitCode: exit?.[1] !== undefined ? Number(exit[1]) : undefined,
      }),
      paths: [],
      isError: interrupted,
    };
  }

  if (Array.isArray(tur.newTodos)) {
    return { shape: 'todo', result: { todos: tur.newTodos.length }, paths: [], isError: false };
  }

  const status = str(tur.status);
  if (status !== undefined && ('agentId' in tur || 'totalTokens' in tur || 'totalToolUseCount' in tur)) {
    return {
      shape: 'task',
      result: pick({
        status,
        agentId: str(tur.agentId),
        totalTokens: num(tur.totalTokens),
        totalToolUseCount: num(tur.totalToolUseCount),
        totalDurationMs: num(tur.totalDurationMs),
      }),
      paths: [],
      isError: status === 'error',
    };
  }

  return { shape: 'unknown', result: scalarFields(tur), paths: [], isError: false };
}

/** Lines added and removed by a `structuredPatch` (hunks of unified-diff lines). */
export function patchCounts(patch: unknown): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  if (!Array.isArray(patch)) return { added, removed };
  for (const hunk of patch) {
    if (!isObject(hunk) || !Array.isArray(hunk.lines)) continue;
    for (const line of hunk.lines) {
      if (typeof line !== 'string') continue;
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
    }
  }
  return { added, removed };
}

/** Drops undefined values, so optional facts are absent rather than null in stored JSON. */
function pick(o: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
