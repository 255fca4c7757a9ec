import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as fc from 'fast-check';
import { foldCode, initCodeFolding, languageOf, type FoldResult } from '../../../src/core/distill/code-fold';
import { GRAMMAR_FILES } from '../../../src/core/distill/languages';

const root = join(__dirname, '..', '..', '..', '..');
const lineCount = (text: string): number => text.split('\n').length;
const fold = (source: string, path: string, keep: string[] = [], minBodyLines?: number): FoldResult =>
  foldCode(source, { path, keep: new Set(keep), ...(minBodyLines === undefined ? {} : { minBodyLines }) });

const USER_SERVICE = `import { readFile } from 'node:fs/promises';
import type { Db } from './db';

export interface User {
  id: string;
  email: string;
}

export type Role = 'admin' | 'member';

/** Users, cached in front of the database. */
export class UserService {
  private readonly cache = new Map<string, User>();

  constructor(private readonly db: Db) {}

  async save(user: User): Promise<void> {
    this.cache.set(user.id, user);
    await this.db.put('users', user.id, JSON.stringify(user));
    audit('user.saved', user.id);
  }

  async load(id: string): Promise<User | undefined> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const row = await this.db.get('users', id);
    return row ? (JSON.parse(row) as User) : undefined;
  }

  get size(): number {
    return this.cache.size;
  }
}

export const seed = async (path: string): Promise<User[]> => {
  const text = await readFile(path, 'utf8');
  const users = JSON.parse(text) as User[];
  return users.filter((u) => u.email.includes('@'));
};
`;

// Declared first: node:test runs a file's top-level tests in order, and this one needs no init.
test('before init, TypeScript folds by indentation with the same markers', () => {
  const r = fold(USER_SERVICE, 'src/users.ts', ['save']);
  assert.equal(r.method, 'indent');
  assert.match(r.text, /async load\(id: string\): Promise<User \| undefined> \{ … 5 lines \}\n/);
  assert.match(r.text, /export const seed = async \(path: string\): Promise<User\[\]> => \{ … 4 lines \};/);
  assert.ok(r.text.includes("    await this.db.put('users', user.id, JSON.stringify(user));"));
});

test('init loads once and languageOf maps extensions', async () => {
  const first = initCodeFolding();
  assert.equal(initCodeFolding(), first);
  await first;
  assert.equal(languageOf('src/a.ts'), 'typescript');
  assert.equal(languageOf('web/App.TSX'), 'tsx');
  assert.equal(languageOf('lib/x.mjs'), 'javascript');
  assert.equal(languageOf('tool.py'), 'python');
  assert.equal(languageOf('Main.kt'), 'kotlin');
  assert.equal(languageOf('README'), null);
});

test('a TypeScript class keeps the body of the kept method and folds the others', async () => {
  await initCodeFolding();
  const r = fold(USER_SERVICE, 'src/users.ts', ['save']);
  assert.equal(r.method, 'tree-sitter');
  assert.equal(r.language, 'typescript');
  assert.deepEqual(r.keptBodies, ['save']);
  assert.equal(
    r.text,
    `import { readFile } from 'node:fs/promises';
import type { Db } from './db';

export interface User {
  id: string;
  email: string;
}

export type Role = 'admin' | 'member';

/** Users, cached in front of the database. */
export class UserService {
  private readonly cache = new Map<string, User>();

  constructor(private readonly db: Db) {}

  async save(user: User): Promise<void> {
    this.cache.set(user.id, user);
    await this.db.put('users', user.id, JSON.stringify(user));
    audit('user.saved', user.id);
  }

  async load(id: string): Promise<User | undefined> { … 5 lines }

  get size(): number {
    return this.cache.size;
  }
}

export const seed = async (path: string): Promise<User[]> => { … 4 lines };
`,
  );
  assert.equal(r.foldedBodies, 2);
  assert.equal(r.foldedLines, lineCount(USER_SERVICE) - lineCount(r.text), 'N counts exactly the lines removed');
});

test('a qualified name keeps one member, a kept class keeps every body', async () => {
  await initCodeFolding();
  const member = fold(USER_SERVICE, 'src/users.ts', ['UserService.load']);
  assert.ok(member.text.includes('    if (hit) return hit;'));
  assert.match(member.text, /async save\(user: User\): Promise<void> \{ … 4 lines \}/);
  const whole = fold(USER_SERVICE, 'src/users.ts', ['UserService']);
  assert.deepEqual(whole.keptBodies, ['UserService']);
  assert.ok(whole.text.includes('    if (hit) return hit;') && whole.text.includes("    audit('user.saved', user.id);"));
  assert.equal(whole.foldedBodies, 1, 'only seed, outside the class, is folded');
});

test('a function that defines a kept function is opened, not folded', async () => {
  await initCodeFolding();
  const source = `export function makeRouter(db: Db) {
  const cache = new Map();
  function listOrders(req: Req) {
    const rows = db.all('orders');
    cache.set('orders', rows);
    return rows;
  }
  function deleteOrder(req: Req) {
    db.run('delete', req.id);
    cache.clear();
    return true;
  }
  return { listOrders, deleteOrder };
}
`;
  const r = fold(source, 'router.ts', ['listOrders']);
  assert.ok(r.text.includes("    cache.set('orders', rows);"));
  assert.match(r.text, /function deleteOrder\(req: Req\) \{ … 4 lines \}/);
  assert.ok(r.text.includes('  return { listOrders, deleteOrder };'));
});

const BILLING_PY = `"""Billing helpers."""
import decimal
from dataclasses import dataclass


@dataclass
class Invoice:
    """A set of priced lines."""

    lines: list
    currency: str = "EUR"

    @property
    def total(self):
        """Sum of the lines."""
        amount = decimal.Decimal(0)
        for line in self.lines:
            amount += line.price * line.qty
        return amount

    def apply_coupon(self, coupon):
        if coupon.expired:
            raise ValueError("expired")
        self.lines.append(coupon.as_line())
        return self

    def render(self):
        """Render the invoice.

        As plain text, one line per item.
        """
        out = [str(line) for line in self.lines]
        return "\\n".join(out)


def parse(text):
    rows = text.splitlines()
    items = [r.split(",") for r in rows]
    return Invoice(items)


if __name__ == "__main__":
    print(parse("a,1"))
`;

test('a Python module keeps decorators, one-line docstrings and the kept method', async () => {
  await initCodeFolding();
  const r = fold(BILLING_PY, 'billing/invoice.py', ['apply_coupon']);
  assert.equal(r.method, 'tree-sitter');
  assert.deepEqual(r.keptBodies, ['apply_coupon']);
  assert.equal(
    r.text,
    `"""Billing helpers."""
import decimal
from dataclasses import dataclass


@dataclass
class Invoice:
    """A set of priced lines."""

    lines: list
    currency: str = "EUR"

    @property
    def total(self):
        """Sum of the lines.""" { … 4 lines }

    def apply_coupon(self, coupon):
        if coupon.expired:
            raise ValueError("expired")
        self.lines.append(coupon.as_line())
        return self

    def render(self): { … 6 lines }


def parse(text): { … 3 lines }


if __name__ == "__main__":
    print(parse("a,1"))
`,
  );
});

test('TSX components fold like functions, JSX included', async () => {
  await initCodeFolding();
  const source = `import React, { useState } from 'react';

type Props = { items: string[]; onPick: (item: string) => void };

export function Picker({ items, onPick }: Props) {
  const [query, setQuery] = useState('');
  const shown = items.filter((i) => i.includes(query));
  return (
    <ul>
      {shown.map((i) => (
        <li key={i} onClick={() => onPick(i)}>{i}</li>
      ))}
    </ul>
  );
}

export const Header = ({ title }: { title: string }) => {
  const upper = title.toUpperCase();
  return (
    <header className="top">
      <h1>{upper}</h1>
    </header>
  );
};

const Footer = () => (
  <footer>
    <span>v1</span>
    <a href="/about">about</a>
  </footer>
);
`;
  const r = fold(source, 'web/Picker.tsx', ['Header']);
  assert.equal(r.language, 'tsx');
  assert.equal(r.method, 'tree-sitter');
  assert.match(r.text, /export function Picker\(\{ items, onPick \}: Props\) \{ … 10 lines \}\n/);
  assert.ok(r.text.includes('      <h1>{upper}</h1>'));
  assert.match(r.text, /const Footer = \(\) => \{ … 5 lines \};/);
  assert.ok(r.text.includes('type Props = { items: string[]; onPick: (item: string) => void };'));
});

/** Claude Code's Read output: `${n.padStart(6)}\t${line}` (or → in newer versions). */
function numbered(source: string, first = 1, separator = '\t'): string {
  return source
    .split('\n')
    .map((line, i) => `${String(first + i).padStart(6)}${separator}${line}`)
    .join('\n');
}

test('Read output keeps its line numbers where the numbering breaks', async () => {
  await initCodeFolding();
  const reminder = '\n\n<system-reminder>\nWhenever you read a file, consider whether it looks malicious.\n</system-reminder>\n';
  const source = numbered(USER_SERVICE.trimEnd()) + reminder;
  const r = fold(source, '/home/ana/shop-api/src/users.ts', ['save']);
  assert.equal(r.method, 'tree-sitter', 'the prefixes are stripped before parsing');
  const lines = r.text.split('\n');
  assert.equal(lines[0], "     1\timport { readFile } from 'node:fs/promises';");
  assert.equal(lines[1], "import type { Db } from './db';", 'a line that follows the one above carries no number');
  // A marker on line L stands for L+1..L+N, and the next line says L+N+1.
  const marker = lines.findIndex((l) => l.includes('async load('));
  assert.equal(lines[marker], '    23\t  async load(id: string): Promise<User | undefined> { … 5 lines }');
  assert.equal(lines[marker + 1], '    29\t');
  assert.equal(lines[marker + 2], '  get size(): number {');
  assert.ok(r.text.endsWith(reminder), 'trailing notes pass through');
  assert.ok(r.text.length < source.length);
  assert.equal(r.foldedLines, lineCount(source) - lineCount(r.text));
});

test('Read output with an offset and the arrow separator keeps the real numbers', async () => {
  await initCodeFolding();
  const source = numbered(BILLING_PY, 120, '→');
  const r = fold(source, 'billing/invoice.py', []);
  const lines = r.text.split('\n');
  assert.equal(lines[0], '   120→"""Billing helpers."""');
  assert.ok(lines.includes('   134→        """Sum of the lines.""" { … 4 lines }'), r.text);
  assert.equal(lines[lines.indexOf('   134→        """Sum of the lines.""" { … 4 lines }') + 1], '   139→');
});

test('a file with nothing to fold comes back unchanged, numbers included', async () => {
  await initCodeFolding();
  const source = numbered('const a = 1;\nexport function id(x: number) {\n  return x;\n}');
  const r = fold(source, 'a.ts', []);
  assert.equal(r.text, source);
  assert.equal(r.foldedBodies, 0);
});

test('Go, Rust and Java fold with their grammars', async () => {
  await initCodeFolding();
  const go = `package server

type Server struct {
	db    *DB
	debug bool
}

func (s *Server) Handle(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	user, err := s.db.Load(id)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	fmt.Fprintln(w, user.Name)
}
`;
  const g = fold(go, 'server/server.go', []);
  assert.equal(g.method, 'tree-sitter');
  assert.match(g.text, /func \(s \*Server\) Handle\(w http.ResponseWriter, r \*http.Request\) \{ … 8 lines \}\n/);
  assert.ok(g.text.includes('\tdebug bool'), 'struct fields are declarations, not a body');
  const rust = `impl Cache {
    pub fn get(&self, k: &str) -> Option<&String> {
        let v = self.map.get(k);
        tracing::debug!("get {k}");
        v
    }

    pub fn put(&mut self, k: String, v: String) {
        self.map.insert(k, v);
        self.evict();
        self.stats();
    }
}
`;
  const rs = fold(rust, 'src/cache.rs', ['Cache.put']);
  assert.match(rs.text, /pub fn get\(&self, k: &str\) -> Option<&String> \{ … 4 lines \}/);
  assert.ok(rs.text.includes('        self.evict();'));
  const java = `public class Svc {
  private final Repo repo;

  public Svc(Repo repo) {
    this.repo = repo;
    init();
    warm();
  }
}
`;
  assert.match(fold(java, 'Svc.java', []).text, /public Svc\(Repo repo\) \{ … 4 lines \}/);
});

test('a language without a grammar folds by indentation', async () => {
  await initCodeFolding();
  const kotlin = `package shop

class CheckoutService(private val repo: Repo) {
    private val log = Logger("checkout")

    fun applyCoupon(cart: Cart, code: String): Cart {
        val coupon = repo.find(code) ?: throw NotFound(code)
        check(coupon.expires > Instant.now()) { "expired" }
        return cart.copy(discount = coupon.amount)
    }

    fun total(cart: Cart): Long {
        var sum = 0L
        for (line in cart.lines) {
            sum += line.price * line.qty
        }
        return sum - cart.discount
    }

    /**
     * Sends the receipt,
     * retrying twice.
     */
    suspend fun sendReceipt(
        cart: Cart,
        email: String,
    ) {
        mailer.send(email, render(cart))
        log.info("sent")
        metrics.inc("receipt")
    }
}
`;
  const r = fold(kotlin, 'src/main/kotlin/Checkout.kt', ['applyCoupon']);
  assert.equal(r.method, 'indent');
  assert.equal(r.language, 'kotlin');
  assert.deepEqual(r.keptBodies, ['applyCoupon']);
  assert.equal(
    r.text,
    `package shop

class CheckoutService(private val repo: Repo) {
    private val log = Logger("checkout")

    fun applyCoupon(cart: Cart, code: String): Cart {
        val coupon = repo.find(code) ?: throw NotFound(code)
        check(coupon.expires > Instant.now()) { "expired" }
        return cart.copy(discount = coupon.amount)
    }

    fun total(cart: Cart): Long { … 6 lines }

    /**
     * Sends the receipt,
     * retrying twice.
     */
    suspend fun sendReceipt(
        cart: Cart,
        email: String,
    ) { … 4 lines }
}
`,
  );
});

test('kept names match whole identifiers, non-ASCII ones included', async () => {
  await initCodeFolding();
  const source = 'def größe(x):\n    a = x\n    b = a\n    return b\n\n\ndef größe_alt(x):\n    a = x\n    b = a\n    return b\n';
  for (const path of ['calc.py', 'calc.unknown']) {
    const r = fold(source, path, ['größe']);
    assert.deepEqual(r.keptBodies, ['größe'], path);
    assert.ok(r.text.startsWith('def größe(x):\n    a = x\n'), path);
    assert.ok(r.text.includes('def größe_alt(x): { … 3 lines }'), path);
  }
});

test('prose and data files are left alone', () => {
  const md = '# Title\n\n- item\n    - nested\n    - nested\n    - nested\n    - nested\n';
  const r = fold(md, 'README.md', []);
  assert.equal(r.method, 'none');
  assert.equal(r.text, md);
});

test('minBodyLines leaves short bodies in place', async () => {
  await initCodeFolding();
  assert.ok(fold(USER_SERVICE, 'users.ts', [], 1).text.includes('get size(): number { … 2 lines }'));
  assert.ok(fold(USER_SERVICE, 'users.ts', []).text.includes('    return this.cache.size;'), 'the default keeps a 2-line body');
  assert.equal(fold(USER_SERVICE, 'users.ts', [], 50).foldedBodies, 0);
});

test('garbage and partial code never throw and never grow', async () => {
  await initCodeFolding();
  const partial = USER_SERVICE.split('\n').slice(19, 40).join('\n'); // a Read that starts mid-method
  const inputs = [
    partial,
    '}}}}\n{{{{\n  )))\n\tdef x:\n        """\n  class {{{\n',
    'function (((( {\n  return\n    }}}\n  ]]\n',
    '\u0000\u00ff\ufffd\ud83d\ude00 binary\n\t\t\t\n'.repeat(20),
    'x'.repeat(100_000),
    USER_SERVICE.replace(/\n/g, '\r\n'),
    numbered(partial, 20),
    '     1\tonly one numbered line',
  ];
  for (const path of ['a.ts', 'a.tsx', 'a.py', 'a.go', 'a.rs', 'a.kt', 'noext']) {
    for (const input of inputs) {
      const r = fold(input, path, ['save', 'x']);
      assert.ok(r.text.length <= input.length, `${path} grew`);
      assert.equal(r.foldedLines, lineCount(input) - lineCount(r.text));
    }
  }
  const mid = fold(partial, 'src/users.ts', []);
  assert.ok(mid.foldedBodies >= 2, 'a fragment still folds the bodies it holds whole');
});

test('folding is deterministic, whatever the order of the keep set', async () => {
  await initCodeFolding();
  const a = foldCode(USER_SERVICE + BILLING_PY, { path: 'x.ts', keep: new Set(['save', 'seed', 'load']) });
  const b = foldCode(USER_SERVICE + BILLING_PY, { path: 'x.ts', keep: new Set(['load', 'seed', 'save']) });
  assert.deepEqual(a, b);
  assert.deepEqual(fold(BILLING_PY, 'b.py', ['render']), fold(BILLING_PY, 'b.py', ['render']));
});

/** A 300-line service module generated from a seed: classes of methods and free functions. */
function generatedModule(): string {
  const out = ["import { Db } from './db';", ''];
  for (let c = 0; c < 3; c++) {
    out.push(`export class Repo${c} {`, '  constructor(private readonly db: Db) {}', '');
    for (let m = 0; m < 8; m++) {
      out.push(`  async method${c}_${m}(id: string): Promise<number> {`);
      for (let s = 0; s < 6 + ((c + m) % 4); s++) out.push(`    const v${s} = await this.db.get('t${m}', id + ${s});`);
      out.push(`    return v0 * ${m};`, '  }', '');
    }
    out.push('}', '');
  }
  while (out.length < 300) out.push(`export const flag${out.length} = ${out.length % 7};`);
  return out.join('\n');
}

test('with nothing kept a 300-line file shrinks to a fraction', async () => {
  await initCodeFolding();
  const source = generatedModule();
  assert.equal(lineCount(source), 300);
  const r = fold(source, 'src/repos.ts', []);
  assert.equal(r.foldedBodies, 24);
  assert.ok(lineCount(r.text) < 120, `${lineCount(r.text)} lines left`);
  assert.ok(r.text.length < source.length * 0.45);
});

test('every grammar folding loads is copied into dist/tree-sitter by esbuild.mjs', () => {
  // The test command builds dist/ first; a missing file would make the shipped extension fold by
  // indentation only (and initCodeFolding reject).
  for (const file of ['tree-sitter.wasm', ...GRAMMAR_FILES]) {
    assert.ok(existsSync(join(root, 'dist', 'tree-sitter', file)), `dist/tree-sitter/${file} is missing`);
  }
});

const CODE_LINES = [
  'function keep() {', 'def save(self):', 'class A:', 'class B {', '}', '});', '} else {', 'return 1;', 'x = [', ')',
  'foo(', '"""doc"""', '/**', ' */', 'const f = () => {', '{{{', '}}}', '', '   ', '\t', '\r', '     7\tconst a = 1', '…',
  'fn main() {', 'func (s *S) Go() {', 'impl X {', '@decorator', '<div>', '</div>', '# comment', 'end',
];

test('property: foldCode never throws, never grows, and counts its lines exactly', async () => {
  await initCodeFolding();
  const codeLike = fc
    .array(fc.tuple(fc.nat({ max: 6 }), fc.constantFrom(...CODE_LINES), fc.string({ maxLength: 6 })), { maxLength: 60 })
    .map((lines) => lines.map(([depth, text, noise]) => ' '.repeat(depth * 2) + text + noise).join('\n'));
  const anyText = fc.string({ unit: 'binary', maxLength: 300 });
  const source = fc.oneof(codeLike, anyText, codeLike.map((s) => numbered(s, 3)));
  const path = fc.constantFrom('a.ts', 'b.tsx', 'c.js', 'd.py', 'e.go', 'f.rs', 'G.java', 'h.kt', 'i.md', 'noext');
  const keep = fc.uniqueArray(fc.constantFrom('keep', 'save', 'A', 'B', 'main', 'Go', 'f', 'X.keep'), { maxLength: 3 });
  fc.assert(
    fc.property(source, path, keep, fc.option(fc.nat({ max: 6 }), { nil: undefined }), (src, p, k, min) => {
      const r = fold(src, p, k, min);
      assert.ok(r.text.length <= src.length);
      assert.equal(r.foldedLines, lineCount(src) - lineCount(r.text));
      assert.ok(['tree-sitter', 'indent', 'none'].includes(r.method));
    }),
    { numRuns: 400 },
  );
});
