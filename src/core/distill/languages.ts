// Which language a file is, and for the languages with a tree-sitter grammar, which syntax nodes
// code folding treats as function bodies and which as containers of declarations.
//
// The grammars are the wasm files of @vscode/tree-sitter-wasm. Only the ones listed here ship in
// dist/tree-sitter/ (esbuild.mjs's copyWasm names the same files; a unit test checks the two agree).
// The package also has C/C++, C#, Ruby, PHP, Bash, CSS, PowerShell (about 16 MB more): those fold
// by indentation until they earn their weight in the package.
import { extname } from 'node:path';

export interface GrammarSpec {
  /** File name in @vscode/tree-sitter-wasm/wasm/. */
  wasm: string;
  /** Nodes whose `body` field is code: folded unless their name is kept. */
  functions: ReadonlySet<string>;
  /** Nodes whose body holds declarations: never folded whole, walked into (unless kept). */
  containers: ReadonlySet<string>;
  /** The body starts on the line after the header's `:` (Python), not at a `{`. */
  colonBodies?: boolean;
}

const JS_FUNCTIONS = [
  'function_declaration',
  'generator_function_declaration',
  'function_expression',
  'function',
  'generator_function',
  'arrow_function',
  'method_definition',
];
const JS_CONTAINERS = ['class_declaration', 'abstract_class_declaration', 'class', 'internal_module', 'module'];
const js = (wasm: string): GrammarSpec => ({ wasm, functions: new Set(JS_FUNCTIONS), containers: new Set(JS_CONTAINERS) });

export const GRAMMARS: Readonly<Record<string, GrammarSpec>> = {
  typescript: js('tree-sitter-typescript.wasm'),
  tsx: js('tree-sitter-tsx.wasm'),
  javascript: js('tree-sitter-javascript.wasm'),
  python: {
    wasm: 'tree-sitter-python.wasm',
    functions: new Set(['function_definition']),
    containers: new Set(['class_definition']),
    colonBodies: true,
  },
  go: {
    wasm: 'tree-sitter-go.wasm',
    functions: new Set(['function_declaration', 'method_declaration', 'func_literal']),
    containers: new Set(),
  },
  rust: {
    wasm: 'tree-sitter-rust.wasm',
    functions: new Set(['function_item', 'closure_expression']),
    containers: new Set(['impl_item', 'trait_item', 'mod_item']),
  },
  java: {
    wasm: 'tree-sitter-java.wasm',
    functions: new Set(['method_declaration', 'constructor_declaration', 'compact_constructor_declaration', 'lambda_expression']),
    containers: new Set(['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration', 'annotation_type_declaration']),
  },
};

/** Every grammar file that must sit beside the bundle (esbuild.mjs copies these). */
export const GRAMMAR_FILES = Object.values(GRAMMARS).map((g) => g.wasm);

const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascript',
  '.py': 'python', '.pyi': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
  // No grammar loaded: these fold by indentation.
  '.kt': 'kotlin', '.kts': 'kotlin', '.swift': 'swift', '.scala': 'scala', '.c': 'c', '.h': 'c',
  '.cc': 'cpp', '.cpp': 'cpp', '.cxx': 'cpp', '.hpp': 'cpp', '.cs': 'csharp', '.rb': 'ruby', '.php': 'php',
  '.lua': 'lua', '.sh': 'shell', '.bash': 'shell', '.dart': 'dart', '.ex': 'elixir', '.exs': 'elixir',
  '.vue': 'vue', '.svelte': 'svelte', '.zig': 'zig', '.hs': 'haskell', '.ml': 'ocaml', '.r': 'r',
};

/**
 * Prose and data: folding their nesting would hide content rather than implementation, so they
 * are never folded (method 'none'); the caller keeps or stubs them whole.
 */
const NOT_CODE = new Set(['.md', '.markdown', '.mdx', '.txt', '.rst', '.json', '.jsonl', '.lock', '.csv', '.tsv', '.log', '.yaml', '.yml', '.toml', '.ini', '.xml', '.svg', '.html', '.env']);

/** The language of a file by its extension, or null when it is not a known programming language. */
export function languageOf(path: string): string | null {
  return BY_EXTENSION[extname(path).toLowerCase()] ?? null;
}

/** Whether a file is prose or data, which code folding leaves alone. */
export function isNotCode(path: string): boolean {
  return NOT_CODE.has(extname(path).toLowerCase());
}
