// One esbuild config for every bundle. Only dist/ ships (see .vscodeignore);
// out/ holds the test and benchmark bundles, which never ship.
//
//   node esbuild.mjs            extension host, webview, CLI  -> dist/
//   node esbuild.mjs --watch    the same, rebuilt on change
//   node esbuild.mjs --tests    every test/**/*.test.ts        -> out/test/
//   node esbuild.mjs --bench    test/bench/*.ts                -> out/test/bench/
//
// Tests are compiled by esbuild rather than run through a TypeScript loader: it is
// the compiler the product already ships with, so tests exercise the same
// transform, and it adds no dependency. Type errors are caught by `npm run typecheck`.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
// Where test and benchmark bundles go (several builds can then run side by side).
const outRoot = process.env.LOUPE_OUT ?? 'out';

/**
 * sql.js and tree-sitter load their WebAssembly from beside the bundle that uses it, never from a
 * CDN: sql-wasm.wasm next to the bundles, tree-sitter's runtime and grammars in tree-sitter/.
 */
function copyWasm(toDir) {
  mkdirSync(toDir, { recursive: true });
  const sqlWasm = join(dirname(require.resolve('sql.js')), 'sql-wasm.wasm');
  copyFileSync(sqlWasm, join(toDir, 'sql-wasm.wasm'));
  // The grammars code folding loads: GRAMMARS in src/core/distill/languages.ts (a unit test checks).
  const grammars = ['typescript', 'tsx', 'javascript', 'python', 'go', 'rust', 'java'].map((l) => `tree-sitter-${l}.wasm`);
  const treeSitterDir = join(toDir, 'tree-sitter');
  mkdirSync(treeSitterDir, { recursive: true });
  copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join(treeSitterDir, 'tree-sitter.wasm'));
  for (const grammar of grammars) {
    copyFileSync(require.resolve(`@vscode/tree-sitter-wasm/wasm/${grammar}`), join(treeSitterDir, grammar));
  }
}

function findFiles(dir, suffix) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) found.push(...findFiles(full, suffix));
    else if (name.endsWith(suffix)) found.push(full);
  }
  return found;
}

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  target: 'node20',
};

/**
 * The webview toolkit's FAST runtime probes for :focus-visible with an inline <style> element,
 * which the webview CSP blocks (a CSP violation on every load): webview/ui/focus-visible.ts
 * answers instead.
 */
const toolkitWithoutStyleProbe = {
  name: 'toolkit-without-style-probe',
  setup(build) {
    build.onResolve({ filter: /^\.\/focus\.js$/ }, (args) =>
      /fast-foundation[\\/]dist[\\/]esm[\\/]utilities[\\/]style$/.test(args.resolveDir) ? { path: fileURLToPath(new URL('./webview/ui/focus-visible.ts', import.meta.url)) } : undefined,
    );
  },
};

const productBundles = [
  {
    ...common,
    entryPoints: { extension: 'src/extension/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    plugins: [toolkitWithoutStyleProbe],
  },
  {
    ...common,
    // Reads and parses transcripts off the main thread, for the CLI and the extension host alike.
    entryPoints: { 'parse-worker': 'src/core/transcript/parse-worker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  },
];

/** Node-side bundles for tests and benchmarks: dependencies stay in node_modules. */
function nodeBundle(entries, outdir) {
  return {
    ...common,
    entryPoints: entries,
    outdir,
    outbase: '.',
    platform: 'node',
    format: 'cjs',
    packages: 'external',
  };
}

async function main() {
  if (args.has('--tests')) {
    rmSync(join(outRoot, 'test'), { recursive: true, force: true });
    // Every test, plus the eval runner (npm run eval), which is not a test file.
    const entries = [...findFiles('test', '.test.ts').filter((f) => !f.startsWith(join('test', 'bench'))), join('test', 'eval', 'eval.ts')];
    await esbuild.build(nodeBundle(entries, outRoot));
    // Tests that run the CLI need it built.
    await Promise.all(productBundles.map((b) => esbuild.build(b)));
    copyWasm('dist');
    return;
  }
  if (args.has('--bench')) {
    rmSync(join(outRoot, 'test', 'bench'), { recursive: true, force: true });
    const entries = findFiles(join('test', 'bench'), '.ts');
    await esbuild.build(nodeBundle(entries, outRoot));
    await Promise.all(productBundles.map((b) => esbuild.build(b)));
    copyWasm('dist');
    return;
  }
  copyWasm('dist');
  if (args.has('--watch')) {
    for (const b of productBundles) await (await esbuild.context(b)).watch();
    console.log('watching…');
    return;
  }
  await Promise.all(productBundles.map((b) => esbuild.build(b)));
  console.log(`built ${productBundles.length} bundles into ${relative('.', 'dist') || 'dist'}/`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
