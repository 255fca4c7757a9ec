// Symbols a code read defines, for the graph's `defines` edges (file → symbol): the names of
// functions, classes, methods, interfaces, types and enums, from tree-sitter queries over the read
// when a grammar is loaded, from a regular expression otherwise.
//
// Graph building is synchronous (it runs inside a store transaction) and tree-sitter loads
// asynchronously, so this module never loads anything: it uses the parsers that code folding's
// initCodeFolding() loaded (loadedParser), and the async entry points that lead to a graph build
// (ingest, the CLI's recall/related/gc, compaction) await loadSymbolParsers() first. A build that
// runs before any load, or for a language without a grammar, uses the regular expression.
import { createHash } from 'node:crypto';
import { initCodeFolding, loadedParser } from '../distill/code-fold';
import { isNotCode, languageOf } from '../distill/languages';
import TreeSitter = require('web-tree-sitter');

/** At most this many characters of a read are parsed: the cost of a graph build stays bounded. */
export const MAX_PARSE_CHARS = 32_000;
export const MAX_SYMBOLS_PER_READ = 40;

/** Loads tree-sitter and the grammars (shared with code folding); later calls share the promise. */
export function loadSymbolParsers(): Promise<void> {
  return initCodeFolding();
}

// `name: (_)` rather than the identifier's node type, which differs between grammars
// (identifier, type_identifier, property_identifier, field_identifier).
const JS_COMMON = [
  '(function_declaration name: (_) @name)',
  '(generator_function_declaration name: (_) @name)',
  '(class_declaration name: (_) @name)',
  '(method_definition name: (_) @name)',
  '(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)])',
  // Module-level constants and variables (`export const windowMs = 1000`): what a file exports.
  '(program (lexical_declaration (variable_declarator name: (identifier) @name)))',
  '(program (variable_declaration (variable_declarator name: (identifier) @name)))',
  '(export_statement (lexical_declaration (variable_declarator name: (identifier) @name)))',
  '(export_statement (variable_declaration (variable_declarator name: (identifier) @name)))',
];
const TS_ONLY = [
  '(abstract_class_declaration name: (_) @name)',
  '(interface_declaration name: (_) @name)',
  '(type_alias_declaration name: (_) @name)',
  '(enum_declaration name: (_) @name)',
  '(abstract_method_signature name: (_) @name)',
];
const PATTERNS: Readonly<Record<string, readonly string[]>> = {
  typescript: [...JS_COMMON, ...TS_ONLY],
  tsx: [...JS_COMMON, ...TS_ONLY],
  javascript: JS_COMMON,
  python: [
    '(function_definition name: (_) @name)',
    '(class_definition name: (_) @name)',
    '(module (expression_statement (assignment left: (identifier) @name)))',
  ],
  go: [
    '(function_declaration name: (_) @name)',
    '(method_declaration name: (_) @name)',
    '(type_spec name: (_) @name)',
    '(source_file (const_declaration (const_spec name: (_) @name)))',
    '(source_file (var_declaration (var_spec name: (_) @name)))',
  ],
  rust: [
    '(function_item name: (_) @name)',
    '(function_signature_item name: (_) @name)',
    '(struct_item name: (_) @name)',
    '(enum_item name: (_) @name)',
    '(union_item name: (_) @name)',
    '(trait_item name: (_) @name)',
    '(type_item name: (_) @name)',
    '(const_item name: (_) @name)',
    '(static_item name: (_) @name)',
  ],
  java: [
    '(class_declaration name: (_) @name)',
    '(interface_declaration name: (_) @name)',
    '(enum_declaration name: (_) @name)',
    '(record_declaration name: (_) @name)',
    '(method_declaration name: (_) @name)',
  ],
};

/** For languages without a loaded grammar: declarations by keyword. */
const DEFINITION =
  /\b(?:function|class|interface|type|enum|def|fn|func|struct|trait|const|let|var)\s+([A-Za-z_$][\w$]{2,})/g;
const DEFINITION_KEYWORD = /\b(?:function|class|interface|type|enum|def|fn|func|struct|trait|impl|const|let|var|static|module|namespace)\b/;
/** Claude Code's Read output numbers its lines: `     1\tcode` or `     1→code`. */
const LINE_NUMBER = /^ *\d+(?:\t|→)/gm;

/** One compiled query per language, made on first use (null: the grammar refused every pattern). */
const queries = new Map<string, TreeSitter.Query | null>();
/** Symbols of recently parsed reads: the same file read again unchanged is not parsed again. */
const recent = new Map<string, string[]>();
const RECENT_MAX = 256;

export interface ReadSymbols {
  names: string[];
  method: 'tree-sitter' | 'regex' | 'none';
}

/** The symbols a read of `path` defines, in order of appearance, at most MAX_SYMBOLS_PER_READ. */
export function symbolsOfRead(path: string, output: string): ReadSymbols {
  const language = languageOf(path);
  if (language === null || isNotCode(path)) return { names: [], method: 'none' };
  const code = output.slice(0, MAX_PARSE_CHARS).replace(LINE_NUMBER, '');
  const parser = loadedParser(language);
  const query = parser ? queryFor(language, parser) : null;
  if (!parser || !query) return { names: bySyntax(code), method: 'regex' };
  // Prose under a code file's name (a stub, a note, a generated read) makes tree-sitter recover
  // from errors for milliseconds per line (measured: 6 ms for 400 characters of prose as TypeScript).
  if (!looksLikeCode(code)) return { names: [], method: 'none' };
  const key = `${language}\u0000${createHash('sha1').update(code).digest('base64')}`;
  let names = recent.get(key);
  if (names === undefined) {
    names = byTree(parser, query, code) ?? bySyntax(code);
    if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
    recent.set(key, names);
  }
  return { names, method: 'tree-sitter' };
}

function byTree(parser: TreeSitter.Parser, query: TreeSitter.Query, code: string): string[] | null {
  let tree: TreeSitter.Tree | null = null;
  try {
    tree = parser.parse(code);
    if (!tree) return null;
    const names = new Set<string>();
    for (const capture of query.captures(tree.rootNode)) {
      const name = capture.node.text;
      if (/^[A-Za-z_$][\w$]*$/.test(name)) names.add(name);
      if (names.size >= MAX_SYMBOLS_PER_READ) break;
    }
    return [...names];
  } catch {
    return null; // a grammar that traps on odd input: the regular expression still works
  } finally {
    tree?.delete(); // trees live in wasm memory, which the garbage collector does not see
  }
}

/**
 * Code has punctuation (brackets, `;`, `=`, `:`) at a density prose lacks, and a definition
 * keyword; both are cheap to check on the head of the read.
 */
function looksLikeCode(code: string): boolean {
  const head = code.slice(0, 4000);
  const visible = head.replace(/\s+/g, '').length;
  if (visible === 0) return false;
  const punctuation = head.match(/[{}()[\];=:]/g)?.length ?? 0;
  return punctuation / visible >= 0.02 && DEFINITION_KEYWORD.test(head);
}

function bySyntax(code: string): string[] {
  const names = new Set<string>();
  for (const m of code.matchAll(DEFINITION)) {
    names.add(m[1]!);
    if (names.size >= MAX_SYMBOLS_PER_READ) break;
  }
  return [...names];
}

function queryFor(language: string, parser: TreeSitter.Parser): TreeSitter.Query | null {
  let query = queries.get(language);
  if (query !== undefined) return query;
  const grammar = parser.language;
  const patterns = PATTERNS[language] ?? [];
  query = null;
  if (grammar && patterns.length > 0) {
    try {
      query = new TreeSitter.Query(grammar, patterns.join('\n'));
    } catch {
      // A pattern naming a node this grammar version lacks: keep the ones it accepts.
      const accepted = patterns.filter((p) => {
        try {
          new TreeSitter.Query(grammar, p).delete();
          return true;
        } catch {
          return false;
        }
      });
      query = accepted.length > 0 ? new TreeSitter.Query(grammar, accepted.join('\n')) : null;
    }
  }
  queries.set(language, query);
  return query;
}
