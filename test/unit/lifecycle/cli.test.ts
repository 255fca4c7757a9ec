// Pruning sticks, driven through the real `loupe` process: after `loupe gc` prunes archived digests,
// showing or compacting the session (which distills it) does not store them again, so a later gc
// has nothing to forget or prune.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers';
import { recallFixture } from '../recall/fixture';

const CLI = join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');

function loupe(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: tempDir('loupe-home-'), CLAUDE_CONFIG_DIR: '', XDG_CONFIG_HOME: '', LOUPE_DB: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('loupe gc prunes archived digests for good: show and compact do not distill them again', async () => {
  const { db, store } = await recallFixture();
  store.close();
  assert.match(loupe(['--db', db, 'show', 'latest', '--level', 'R2']).stdout, /Turn 1/);
  loupe(['--db', db, 'gc', '--now', '2099-01-01T00:00:00Z', '--retention', '400']);
  const prune = loupe(['--db', db, 'gc', '--now', '2099-06-01T00:00:00Z']);
  assert.match(prune.stdout, /did forget 0 digests .* prune 5 archived ones/);

  // Both distill the session; a pruned turn's digest is made in memory (the events are still
  // there), not stored again. Before the fix they were stored again, archived, with a fresh clock.
  const shown = loupe(['--db', db, 'show', 'latest', '--level', 'R2']);
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal(loupe(['--db', db, 'compact', 'latest', '--budget', '4000']).code, 0);
  const later = loupe(['--db', db, '--json', 'gc', '--now', '2100-01-01T00:00:00Z']);
  assert.deepEqual(
    (({ forgotten, pruned }) => ({ forgotten, pruned }))(JSON.parse(later.stdout) as { forgotten: number; pruned: number }),
    { forgotten: 0, pruned: 0 },
    'nothing came back to be forgotten or pruned again',
  );
});
