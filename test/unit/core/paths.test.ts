import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultDatabasePath } from '../../../src/core/paths';

test('the default database lives in the platform user data folder, LOUPE_DB wins', () => {
  assert.equal(defaultDatabasePath({ LOUPE_DB: '/x/y.db' }, 'linux', '/home/a'), '/x/y.db');
  assert.equal(defaultDatabasePath({}, 'linux', '/home/a'), '/home/a/.local/share/loupe/loupe.db');
  assert.equal(defaultDatabasePath({ XDG_DATA_HOME: '/data' }, 'linux', '/home/a'), '/data/loupe/loupe.db');
  assert.equal(defaultDatabasePath({}, 'darwin', '/Users/a'), '/Users/a/Library/Application Support/loupe/loupe.db');
});
