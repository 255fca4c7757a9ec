// The host logic that node tests run must not import vscode (it is not there outside VS Code).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..', '..', '..');

test('src/extension/lib imports no vscode, so node tests can run it', () => {
  const dir = join(root, 'src', 'extension', 'lib');
  const offenders = readdirSync(dir).filter((f) => /from\s+['"]vscode['"]|require\(['"]vscode['"]\)/.test(readFileSync(join(dir, f), 'utf8')));
  assert.deepEqual(offenders, []);
  // Guards the guard: the pattern matches the host's real import.
  assert.match(readFileSync(join(root, 'src', 'extension', 'extension.ts'), 'utf8'), /from\s+['"]vscode['"]/);
});
