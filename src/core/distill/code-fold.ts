// Folding of code reads (DESIGN §5: code is kept by relevance). A file read kept at a stripped
// resolution keeps its signatures (imports, exports, type and class headers, function headers,
// top-level declarations) and the whole bodies of the definitions the task touches (the task
// state's focus symbols); every other body becomes a one-line marker `{ … N lines }`, where N is
// the number of source lines the marker replaces, so the line count of the output is exact.
//
// Syntax comes from tree-sitter (web-tree-sitter + the grammars of @vscode/tree-sitter-wasm),
// loaded once by initCodeFolding(). Without a grammar, before init, or when the parse is worse
// than a guess, folding falls back to indentation. Folding only ever removes text: the result is
// never longer than the input.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { GRAMMARS, type GrammarSpec, isNotCode, languageOf } from './languages';
// `require`, not `import`: esbuild then picks web-tree-sitter's CommonJS build, which finds itself
// through __filename; its ES build reads import.meta.url, which is empty in our CommonJS bundles.
import TreeSitter = require('web-tree-sitter');

const { Language, Parser } = TreeSitter;
type Node = TreeSitter.Node;
type Parser = TreeSitter.Parser;

export { languageOf };

export interface FoldOptions {
  path: string;
  keep: ReadonlySet<string>;
  /** skip folding bodies shorter than this many lines */
  minBodyLines?: number;
}

export interface FoldResult {
  text: string;
  language: string | null;
  /** 'tree-sitter' | 'indent' | 'none' */
  method: string;
  foldedBodies: number;
  foldedLines: number;
  keptBodies: string[];
}

/** Fold a body when it removes at least this many lines (closing line included): shorter ones
 *  (getters, one-line delegations) cost about as much as their marker and say more. */
const DEFAULT_MIN_BODY_LINES = 3;

// ---------------------------------------------------------------------------------------------
// Loading. The wasm files are read from disk, never fetched: esbuild.mjs copies them to
// dist/tree-sitter/ beside the bundles; test bundles in out/ fall back to node_modules.

type ModuleOptions = NonNullable<Parameters<typeof Parser.init>[0]>;
let parsers: ReadonlyMap<string, Parser> | undefined;
let loading: Promise<void> | undefined;

function wasmPath(file: string, moduleId: string): string {
  const beside = join(__dirname, 'tree-sitter', file);
  if (existsSync(beside)) return beside;
  try {
    // createRequire rather than require.resolve: esbuild would try to bundle-resolve the latter.
    return createRequire(__filename).resolve(moduleId);
  } catch {
    throw new Error(`${file} is missing: expected it at ${beside} (copied there by esbuild.mjs) or as ${moduleId} in node_modules`);
  }
}

/** Loads tree-sitter and every grammar once; later calls share the same promise. */
export function initCodeFolding(): Promise<void> {
  loading ??= (async () => {
    const runtime = wasmPath('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
    // Emscripten asks for tree-sitter.wasm by name; an absolute path makes it read the file with fs.
    // (web-tree-sitter 0.25 types the options as a whole EmscriptenModule; all of it is optional.)
    await Parser.init({ locateFile: () => runtime } as Partial<ModuleOptions> as ModuleOptions);
    const loaded = new Map<string, Parser>();
    for (const [language, spec] of Object.entries(GRAMMARS)) {
      // Bytes rather than a path: Language.load would otherwise pick fs or fetch by sniffing globals.
      const bytes = readFileSync(wasmPath(spec.wasm, `@vscode/tree-sitter-wasm/wasm/${spec.wasm}`));
      const parser = new Parser();
      parser.setLanguage(await Language.load(bytes));
      loaded.set(language, parser);
    }
    parsers = loaded;
  })().catch((err: unknown) => {
    loading = undefined; // let a later call retry instead of caching the failure forever
    throw err;
  });
  return loading;
}

/**
 * The parser of a language once initCodeFolding() has resolved, else undefined. Synchronous, so
 * that synchronous callers (the graph's symbol extraction) use tree-sitter when an async entry
 * point has loaded it, and fall back to their own guess otherwise.
 */
export function loadedParser(language: string): Parser | undefined {
  return parsers?.get(language);
}

/** Replace code[start, end) by marker; rows = newlines removed = lines the marker stands for. */
interface Fold { start: number; end: number; rows: number; marker: string }
interface Plan { method: 'tree-sitter' | 'indent'; folds: Fold[]; kept: string[]; lines: number }

/** Which names are kept: a bare name, or `Owner.name` for a member of a class, impl or module. */
class KeepNames {
  private readonly mention: RegExp | null;
  constructor(private readonly keep: ReadonlySet<string>) {
    // Identifiers may be non-ASCII (`größe`), so word boundaries are Unicode letters and digits.
    const words = [...new Set([...keep].map((k) => k.split('.').pop()!).filter((w) => /^[\p{L}\p{N}_$]+$/u.test(w)))].sort();
    const alternatives = words.map((w) => w.replace(/\$/g, '\\$')).join('|');
    this.mention = words.length ? new RegExp(`(?<![\\p{L}\\p{N}_$])(?:${alternatives})(?![\\p{L}\\p{N}_$])`, 'u') : null;
  }
  has(name: string, owner: string | null): boolean {
    return this.keep.has(name) || (owner !== null && this.keep.has(`${owner}.${name}`));
  }
  /** The first kept name written in a text as a whole word, if any. */
  mentionedIn(text: string): string | null {
    return this.mention?.exec(text)?.[0] ?? null;
  }
}

function makeFold(code: string, start: number, end: number, marker: (rows: number) => string, min: number): Fold | null {
  let rows = 0;
  for (let i = code.indexOf('\n', start); i !== -1 && i < end; i = code.indexOf('\n', i + 1)) rows++;
  const text = marker(rows);
  // The length test keeps the promise that folding never lengthens a text (blank-line bodies).
  return rows >= min && end - start > text.length ? { start, end, rows, marker: text } : null;
}
const braceMarker = (rows: number): string => `{ … ${rows} lines }`;
const trailingMarker = (rows: number): string => ` { … ${rows} lines }`;

/** End of the content of the line holding `index`, before trailing blanks and the line break. */
function lineContentEnd(code: string, index: number): number {
  let end = code.indexOf('\n', index);
  if (end === -1) end = code.length;
  while (end > index && /[ \t\r]/.test(code[end - 1]!)) end--;
  return end;
}

// --- tree-sitter --------------------------------------------------------------------------------

interface Walk { code: string; spec: GrammarSpec; keep: KeepNames; min: number; folds: Fold[]; kept: string[] }

/** `this.handlers.save` → save, `#cache` → cache, `Repo<T>` → Repo, `'load'` → load. */
function cleanName(text: string): string {
  return (text.replace(/<[\s\S]*$/, '').split(/\.|::/).pop() ?? '').replace(/^[#'"`]+|['"`]+$/g, '').trim();
}

/** A definition's own name, or for an anonymous function the name it is bound to. */
function definitionName(node: Node): string | null {
  const own = node.childForFieldName('name') ?? (node.type === 'impl_item' ? node.childForFieldName('type') : null);
  if (own) return cleanName(own.text);
  const parent = node.parent;
  if (!parent) return null;
  // `const save = () => …`, `{ save: function () … }`, `save = async () => …` in a class, `exports.save = …`
  for (const field of ['name', 'key', 'property', 'left']) {
    const bound = parent.childForFieldName(field);
    if (bound && bound.id !== node.id) return cleanName(bound.text);
  }
  return null;
}

/** Whether a kept name is defined somewhere inside (then the body is walked, not folded). */
function definesKept(node: Node, w: Walk): boolean {
  if (w.keep.mentionedIn(w.code.slice(node.startIndex, node.endIndex)) === null) return false;
  const visit = (n: Node): boolean => {
    const definition = w.spec.functions.has(n.type) || w.spec.containers.has(n.type);
    const name = definition ? definitionName(n) : (n.childForFieldName('name')?.text ?? null);
    if (name !== null && w.keep.has(name, null)) return true;
    return n.namedChildren.some((c) => c !== null && visit(c));
  };
  return visit(node);
}

function bodyFold(node: Node, body: Node, w: Walk): Fold | null {
  if (!w.spec.colonBodies) return makeFold(w.code, body.startIndex, body.endIndex, braceMarker, w.min);
  // Python: the block starts on the line after the header's `:`; the marker goes at the end of
  // that line. A one-line docstring stays: it is the cheapest summary of what the body does.
  let anchor = node.children.filter((c) => c !== null && c.type === ':' && c.endIndex <= body.startIndex).pop() ?? body;
  const first = body.firstNamedChild;
  if (first?.type === 'expression_statement' && first.firstNamedChild?.type === 'string' && first.startPosition.row === first.endPosition.row && first.startPosition.row === anchor.endPosition.row + 1) anchor = first;
  const start = lineContentEnd(w.code, anchor.endIndex);
  return start < body.endIndex ? makeFold(w.code, start, body.endIndex, trailingMarker, w.min) : null;
}

function walk(node: Node, w: Walk, owner: string | null): void {
  const isFunction = w.spec.functions.has(node.type);
  const isContainer = w.spec.containers.has(node.type);
  // Other named nodes count only when they span lines (`const save = {` … `}`), so that an import
  // or a parameter that happens to share a kept name is not reported as a kept body.
  const spansLines = node.startPosition.row !== node.endPosition.row;
  const name = isFunction || isContainer ? definitionName(node) : spansLines ? (node.childForFieldName('name')?.text ?? null) : null;
  if (name !== null && name !== '' && w.keep.has(name, owner)) {
    w.kept.push(name);
    return; // kept verbatim, nested bodies included
  }
  const body = isFunction ? node.childForFieldName('body') : null;
  // A body with a syntax error is not folded: its extent may be wrong (an unclosed brace).
  if (body && !node.hasError && !definesKept(body, w)) {
    const fold = bodyFold(node, body, w);
    if (fold) w.folds.push(fold);
    return; // too short to fold: its nested bodies are shorter still
  }
  const inner = isContainer && name ? name : owner;
  for (const child of node.namedChildren) if (child) walk(child, w, inner);
}

function treePlan(code: string, language: string | null, keep: KeepNames, min: number): { plan: Plan; hasError: boolean } | null {
  const parser = language === null ? undefined : parsers?.get(language);
  const spec = language === null ? undefined : GRAMMARS[language];
  if (!parser || !spec) return null;
  const tree = parser.parse(code);
  if (!tree) return null;
  try {
    const w: Walk = { code, spec, keep, min, folds: [], kept: [] };
    walk(tree.rootNode, w, null);
    return { plan: { method: 'tree-sitter', folds: w.folds, kept: w.kept, lines: sumRows(w.folds) }, hasError: tree.rootNode.hasError };
  } finally {
    tree.delete(); // trees live in wasm memory, which the garbage collector does not see
  }
}

// --- indentation fallback -------------------------------------------------------------------------

/** Headers whose block holds declarations to keep visible: walked into, never folded whole. */
const CONTAINER = /\b(?:class|struct|interface|trait|impl|object|enum|module|namespace|extension|protocol|mod|record|defmodule|union|companion|actor)\b/;
/** A header that continues on the next lines (arguments, a list, an expression): not a body. */
const CONTINUATION = /(?:[([,\\+]|&&|\|\||(?<![=!<>])=)$/;
const COMMENT = /^(?:\/\*|\*|\/\/|#|--|<!--|"""|''')/;

function indentOf(line: string): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width++;
    else if (ch === '\t') width += 4;
    else return ch === '\r' ? -1 : width;
  }
  return -1; // blank
}

function indentPlan(code: string, keep: KeepNames, min: number): Plan {
  const lines = code.split('\n');
  const indents = lines.map(indentOf);
  const starts: number[] = [];
  for (let i = 0, at = 0; i < lines.length; at += lines[i]!.length + 1, i++) starts.push(at);
  const folds: Fold[] = [];
  const kept: string[] = [];
  const indent = (i: number): number => indents[i] ?? -1;

  /** One past the last non-blank line indented deeper than line i (i + 1 when i opens no block). */
  const blockEnd = (i: number, to: number): number => {
    let last = i;
    for (let j = i + 1; j < to && (indent(j) < 0 || indent(j) > indent(i)); j++) if (indent(j) >= 0) last = j;
    return last + 1;
  };
  const keptHeaderWithin = (from: number, to: number): boolean => {
    for (let r = from; r < to; r++) if (keep.mentionedIn(lines[r]!) !== null && blockEnd(r, to) > r + 1) return true;
    return false;
  };
  /** Folds the block of header i; returns the next line to look at. */
  const fold = (i: number, end: number): number => {
    const header = lines[i]!.trimEnd();
    const closer = lines[end];
    // `name() {` … `}`: swallow the closing brace so the result reads `name() { … N lines }`.
    if (header.endsWith('{') && closer !== undefined && indent(end) === indent(i) && closer.trimStart().startsWith('}')) {
      const f = makeFold(code, starts[i]! + header.length - 1, starts[end]! + closer.indexOf('}') + 1, braceMarker, min);
      if (f) folds.push(f);
      return closer.trimEnd().endsWith('{') ? end : end + 1; // `} else {` opens the next block
    }
    const f = makeFold(code, starts[i]! + header.length, starts[end - 1]! + lines[end - 1]!.trimEnd().length, trailingMarker, min);
    if (f) folds.push(f);
    return end;
  };
  const visit = (from: number, to: number): void => {
    for (let i = from; i < to; ) {
      const end = indent(i) < 0 ? i + 1 : blockEnd(i, to);
      if (end === i + 1) { i++; continue; }
      const trimmed = lines[i]!.trim();
      const name = keep.mentionedIn(lines[i]!);
      if (name !== null) kept.push(name); // the block of a kept name stays verbatim
      else if (COMMENT.test(trimmed)) { /* a comment's continuation lines are documentation: keep */ }
      else if (CONTAINER.test(trimmed) || CONTINUATION.test(trimmed) || keptHeaderWithin(i + 1, end)) visit(i + 1, end);
      else { i = fold(i, end); continue; }
      i = end;
    }
  };
  visit(0, lines.length);
  return { method: 'indent', folds, kept, lines: sumRows(folds) };
}

// --- rendering --------------------------------------------------------------------------------

const sumRows = (folds: readonly Fold[]): number => folds.reduce((n, f) => n + f.rows, 0);

/** origins: for each output line, the source line it starts on. */
interface Rendered { text: string; origins: number[]; markerLines: Set<number>; applied: Fold[] }
function render(code: string, folds: readonly Fold[]): Rendered {
  const parts: string[] = [];
  const applied: Fold[] = [];
  const markerLines = new Set<number>();
  const origins = [0];
  let row = 0;
  let pos = 0;
  const keepUpTo = (end: number): void => {
    for (let i = code.indexOf('\n', pos); i !== -1 && i < end; i = code.indexOf('\n', i + 1)) origins.push(++row);
    parts.push(code.slice(pos, end));
  };
  for (const f of [...folds].sort((a, b) => a.start - b.start)) {
    if (f.start < pos) continue; // overlapping folds cannot be built; skip one rather than garble
    keepUpTo(f.start);
    parts.push(f.marker);
    markerLines.add(origins.length - 1);
    applied.push(f);
    row += f.rows;
    pos = f.end;
  }
  keepUpTo(code.length);
  return { text: parts.join(''), origins, markerLines, applied };
}

// --- Claude Code's Read format: `     1\tcode` (older) or `     1→code` ----------------------------
//
// Numbers on every kept line would cost a third to two thirds more tokens than the folded code
// itself (measured with gpt-tokenizer on TS, Python and JS files). So a folded Read keeps a line's
// original prefix only where it says something: on the first line, on each line that holds a
// marker (a marker on line L stands for lines L+1..L+N, ready for a Read with offset and limit),
// and on the line after it. Any other line is the line after the one above it.

const READ_PREFIX = /^ *(\d+)(?:\t|→)/;
interface Numbered { code: string; prefixes: string[]; rest: string }

/** Splits the numbered lines (consecutive numbers from the first line) from any trailing notes. */
function splitNumbered(source: string): Numbered | null {
  const lines = source.split('\n');
  const prefixes: string[] = [];
  const code: string[] = [];
  let first = 0;
  for (const line of lines) {
    const m = READ_PREFIX.exec(line);
    if (prefixes.length === 0 && m) first = Number(m[1]);
    if (!m || Number(m[1]) !== first + prefixes.length) break;
    prefixes.push(m[0]);
    code.push(line.slice(m[0].length));
  }
  const rest = lines.slice(prefixes.length).join('\n');
  // One numbered line followed by other text is more likely data (a TSV) than a Read.
  if (prefixes.length === 0 || (prefixes.length === 1 && rest.trim() !== '')) return null;
  return { code: code.join('\n'), prefixes, rest: prefixes.length < lines.length ? `\n${rest}` : '' };
}

function renumber(out: Rendered, numbered: Numbered): string {
  const { origins, markerLines } = out;
  const lines = out.text.split('\n').map((line, k) => {
    const origin = origins[k]!;
    // A line that itself starts like a prefix is numbered too, or it would read as one.
    const numberIt = k === 0 || origin !== origins[k - 1]! + 1 || markerLines.has(k) || READ_PREFIX.test(line);
    return numberIt ? numbered.prefixes[origin]! + line : line;
  });
  return lines.join('\n') + numbered.rest;
}

function choosePlan(code: string, language: string | null, keep: KeepNames, min: number): Plan {
  let parsed: ReturnType<typeof treePlan> = null;
  try {
    parsed = treePlan(code, language, keep, min);
  } catch { /* a grammar that traps on odd input: indentation still works */ }
  if (!parsed) return indentPlan(code, keep, min);
  // Partial code (a Read with an offset) or a syntax error can leave much of the file in an ERROR
  // node, which is never folded; the indentation guess then often folds more, and is as faithful.
  if (parsed.hasError) {
    const guess = indentPlan(code, keep, min);
    if (guess.lines > parsed.plan.lines) return guess;
  }
  return parsed.plan;
}

// --- API ----------------------------------------------------------------------------------------

/**
 * Folds the bodies of a file's definitions, keeping those named in `keep`. Synchronous; uses
 * tree-sitter once initCodeFolding() has resolved, indentation otherwise. Read output with line
 * numbers keeps them where the numbering breaks (see renumber). Nothing to fold: the text as is.
 */
export function foldCode(source: string, options: FoldOptions): FoldResult {
  const language = languageOf(options.path);
  const unchanged: FoldResult = { text: source, language, method: 'none', foldedBodies: 0, foldedLines: 0, keptBodies: [] };
  if (source.trim() === '' || isNotCode(options.path)) return unchanged;
  const numbered = splitNumbered(source);
  const code = numbered ? numbered.code : source;
  const keep = new KeepNames(options.keep);
  const asked = options.minBodyLines ?? DEFAULT_MIN_BODY_LINES;
  const min = Number.isFinite(asked) ? Math.max(1, Math.floor(asked)) : DEFAULT_MIN_BODY_LINES; // a 0-line fold would be no fold
  let plan: Plan;
  try {
    plan = choosePlan(code, language, keep, min);
  } catch {
    return unchanged; // folding is an optimisation: a failure must never lose the read
  }
  const out = render(code, plan.folds);
  if (out.applied.length === 0) return { ...unchanged, method: plan.method, keptBodies: [...new Set(plan.kept)] };
  const text = numbered ? renumber(out, numbered) : out.text;
  if (text.length > source.length) return unchanged; // cannot happen by construction; callers rely on it
  return {
    text,
    language,
    method: plan.method,
    foldedBodies: out.applied.length,
    foldedLines: sumRows(out.applied),
    keptBodies: [...new Set(plan.kept)],
  };
}
