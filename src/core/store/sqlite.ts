// Loads the sql.js WebAssembly engine once per process. The .wasm file is read from disk, never
// fetched: esbuild copies it beside the bundles in dist/ (see esbuild.mjs), and test bundles in
// out/ fall back to the copy in node_modules.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;

/** Where sql-wasm.wasm is: beside the running bundle (bundles are CommonJS), else in node_modules. */
export function sqlWasmPath(): string {
  const beside = path.join(__dirname, 'sql-wasm.wasm');
  if (fs.existsSync(beside)) return beside;
  try {
    // createRequire rather than require.resolve: esbuild would try to bundle-resolve the latter.
    return path.join(path.dirname(createRequire(__filename).resolve('sql.js')), 'sql-wasm.wasm');
  } catch {
    throw new Error(`sql-wasm.wasm is missing: expected it at ${beside} (copied there by esbuild.mjs) or in node_modules/sql.js/dist`);
  }
}

/** The sql.js module, initialised on first use and shared by every database in this process. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= Promise.resolve()
    .then(() => {
      const wasm = sqlWasmPath(); // inside the promise: a missing file rejects rather than throws
      // Emscripten asks for the file by name; answering with an absolute local path makes it read
      // the file with fs rather than resolve a URL next to the script.
      return initSqlJs({ locateFile: () => wasm });
    })
    .catch((err: unknown) => {
      loading = undefined; // let a later call retry instead of caching the failure forever
      throw err;
    });
  return loading;
}
