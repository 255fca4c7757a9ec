// The layer rules of DESIGN §2, checked by a test rather than by memory.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sources(full));
    else if (/\.(ts|js|mjs)$/.test(name)) out.push(full);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)) found.push(m[1]!);
  return found;
}

test('nothing under src/core imports vscode', () => {
  const offenders = sources(join(root, 'src', 'core')).filter((f) => imports(f).includes('vscode'));
  assert.deepEqual(offenders.map((f) => relative(root, f)), []);
});

test('src/core imports nothing from the host, the CLI or the webview', () => {
  const offenders = sources(join(root, 'src', 'core')).flatMap((f) =>
    imports(f)
      .filter((i) => /(^|\/)(extension|cli)\//.test(i) || i.includes('webview'))
      .map((i) => `${relative(root, f)} → ${i}`),
  );
  assert.deepEqual(offenders, []);
});

test('the protocol and the webview import neither vscode nor Node', () => {
  const files = [join(root, 'src', 'protocol.ts'), ...sources(join(root, 'webview'))];
  const offenders = files.flatMap((f) =>
    imports(f)
      .filter((i) => i === 'vscode' || i.startsWith('node:') || ['fs', 'path', 'os', 'child_process'].includes(i))
      .map((i) => `${relative(root, f)} → ${i}`),
  );
  assert.deepEqual(offenders, []);
});

test('the import scanner sees the import forms used in this codebase', () => {
  // Guards the guard: if the regex stopped matching, the tests above would pass vacuously.
  assert.ok(imports(join(root, 'src', 'extension', 'extension.ts')).includes('vscode'));
  assert.ok(imports(join(root, 'src', 'core', 'store', 'persist.ts')).includes('node:fs'));
});
