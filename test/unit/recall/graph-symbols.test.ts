// Symbols of code reads come from tree-sitter queries where a grammar ships (functions, classes,
// methods, interfaces, types, module-level constants; not locals), from a regular expression
// elsewhere; prose and data define nothing. The graph links file → symbol with `defines` edges, from
// the whole read, not just the head the index keeps.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths } from '../../../src/core/ingest';
import { ensureRecorded } from '../../../src/core/recall/recall';
import { loadSymbolParsers, symbolsOfRead } from '../../../src/core/recall/symbols';
import { all } from '../../../src/core/store/rows';
import { openStore } from '../../../src/core/store/store';
import { assistant, CWD, jsonl, PROJECT, prompt, SESSION, tempDir, toolResult, toolUse, writeFile } from '../helpers';

const CLI = join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
const numbered = (code: string) => code.split('\n').map((line, i) => `${String(i + 1).padStart(6)}\t${line}`).join('\n');

const TS = `import { Rate } from './rate';

export interface CouponRule { code: string; percent: number }
export type CouponCode = string;
export const MAX_PERCENT = 50;

export class CouponBook {
  private readonly rules = new Map<CouponCode, CouponRule>();
  add(rule: CouponRule): void {
    const local = rule.percent;
    this.rules.set(rule.code, { ...rule, percent: Math.min(local, MAX_PERCENT) });
  }
}

export function applyCoupon(total: number, rule: CouponRule): number {
  const discounted = total * (1 - rule.percent / 100);
  return Math.round(discounted * 100) / 100;
}
`;

test('a TypeScript read defines its interfaces, types, constants, classes, methods and functions, not its locals', async () => {
  await loadSymbolParsers();
  const r = symbolsOfRead('/p/src/coupons.ts', numbered(TS));
  assert.equal(r.method, 'tree-sitter');
  assert.deepEqual(r.names, ['CouponRule', 'CouponCode', 'MAX_PERCENT', 'CouponBook', 'add', 'applyCoupon']);
});

test('Python, Go, Rust and Java reads use their grammars too', async () => {
  await loadSymbolParsers();
  assert.deepEqual(symbolsOfRead('a.py', 'TIMEOUT = 3\nclass Pool:\n    def acquire(self):\n        n = 1\n        return n\n').names, ['TIMEOUT', 'Pool', 'acquire']);
  assert.deepEqual(symbolsOfRead('a.go', 'package x\ntype Server struct{}\nfunc (s *Server) Run() { n := 1; _ = n }\nfunc main() {}\n').names, ['Server', 'Run', 'main']);
  assert.deepEqual(symbolsOfRead('a.rs', 'struct Queue;\ntrait Drain { fn drain(&self); }\nfn push() { let x = 1; }\n').names, ['Queue', 'Drain', 'drain', 'push']);
  assert.deepEqual(symbolsOfRead('A.java', 'class Ledger { void post() { int x = 1; } interface Entry {} }').names, ['Ledger', 'post', 'Entry']);
});

test('without a grammar the regular expression guesses; prose and data files define nothing', async () => {
  await loadSymbolParsers();
  assert.deepEqual(symbolsOfRead('a.rb', 'class Invoice\n  def total\n  end\nend\n'), { names: ['Invoice', 'total'], method: 'regex' });
  assert.deepEqual(symbolsOfRead('notes.md', 'function of the class interface types'), { names: [], method: 'none' });
  // Prose under a code name: parsing it would cost milliseconds of error recovery and find nothing.
  assert.deepEqual(symbolsOfRead('stub.ts', 'this type of file will hold the class that we need later on and the rest of it'), { names: [], method: 'none' });
});

test('the graph links a code read to the symbols it defines, past the head the index keeps; related finds the file by one', async () => {
  const dir = tempDir('loupe-symbols-');
  // A long file: the last function starts well past the 500 characters the index holds.
  const long = TS + Array.from({ length: 30 }, (_, i) => `// filler line ${i} to push the next definition past the indexed head`).join('\n') + '\nexport function expireCoupons(now: Date): void {}\n';
  const path = `${CWD}/src/coupons.ts`;
  const lines = [
    prompt({ uuid: 's1' }, 'How are coupons applied?'),
    assistant({ uuid: 's2', parent: 's1', messageId: 'm2' }, toolUse('r1', 'Read', { file_path: path })),
    toolResult({ uuid: 's3', parent: 's2' }, 'r1', numbered(long), { toolUseResult: { type: 'text', file: { filePath: path, content: long, numLines: 50, startLine: 1, totalLines: 50 } } }),
  ];
  writeFile(join(dir, 'projects', PROJECT, `${SESSION}.jsonl`), jsonl(lines));
  const db = join(dir, 'db', 'loupe.db');
  const store = await openStore(db);
  await ingestPaths(store, [dir], { workerScript: null }); // loads the grammars: it has code reads to graph
  ensureRecorded(store);
  const defined = all(
    store.db,
    `SELECT s.name FROM graph_edges e JOIN graph_nodes f ON f.id = e.src JOIN graph_nodes s ON s.id = e.dst
     WHERE e.kind = 'defines' AND f.name = 'src/coupons.ts' ORDER BY s.name`,
  ).map((r) => String(r.name));
  assert.deepEqual(defined, ['CouponBook', 'CouponCode', 'CouponRule', 'MAX_PERCENT', 'add', 'applyCoupon', 'expireCoupons']);
  store.close();

  const r = spawnSync(process.execPath, [CLI, '--db', db, 'related', 'expireCoupons'], { encoding: 'utf8', env: { ...process.env, HOME: tempDir('loupe-home-'), LOUPE_DB: '' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /file +src\/coupons\.ts/);
});
