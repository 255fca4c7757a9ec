// Which transcript folders belong to the open workspace, and the debounce of live ingest.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { debounce, encodeProjectDir, isInside, projectDirsFor } from '../../../src/extension/lib/workspace';
import { tempDir } from '../helpers';

test('a cwd is inside a folder only at a path boundary', () => {
  assert.ok(isInside('/home/ana/shop', '/home/ana/shop'));
  assert.ok(isInside('/home/ana/shop/api', '/home/ana/shop'));
  assert.ok(!isInside('/home/ana/shop-api', '/home/ana/shop'));
  assert.ok(!isInside('/home/ana', '/home/ana/shop'));
  assert.ok(!isInside('', '/home/ana/shop'));
});

test('the project folders of a workspace are its own and its subfolders’, not its siblings’', () => {
  const root = tempDir();
  for (const cwd of ['/home/ana/shop', '/home/ana/shop/api', '/home/ana/other']) mkdirSync(join(root, encodeProjectDir(cwd)));
  const dirs = projectDirsFor([root, join(root, 'missing')], ['/home/ana/shop']);
  assert.deepEqual(dirs, [join(root, '-home-ana-shop'), join(root, '-home-ana-shop-api')]);
});

test('debounce runs once after the last call, and flush runs a pending call now', async () => {
  let n = 0;
  const d = debounce(() => n++, 20);
  d();
  d();
  d();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(n, 1);
  d();
  d.flush();
  assert.equal(n, 2);
  d.flush();
  assert.equal(n, 2);
});
