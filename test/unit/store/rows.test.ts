// rows.ts: the per-connection cache of prepared statements behind all() and one().
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { all, one, scalar, statement } from '../../../src/core/store/rows';
import { openStore } from '../../../src/core/store/store';

test('a statement is prepared once per connection and text, and the least recently used past 64 is freed', async () => {
  const store = await openStore(':memory:');
  const other = await openStore(':memory:');
  const db = store.db;
  const first = statement(db, 'SELECT 1');
  assert.equal(statement(db, 'SELECT 1'), first);
  assert.notEqual(statement(other.db, 'SELECT 1'), first, 'each connection has its own');
  // 63 more texts fill the cache; using the first again makes it the most recent.
  const second = statement(db, 'SELECT 2');
  for (let i = 3; i <= 64; i++) statement(db, `SELECT ${i}`);
  assert.equal(statement(db, 'SELECT 1'), first);
  statement(db, 'SELECT 65'); // evicts the least recently used: SELECT 2
  assert.notEqual(statement(db, 'SELECT 2'), second);
  assert.throws(() => second.step(), /closed|finalized/i, 'the evicted statement was freed');
  assert.equal(statement(db, 'SELECT 1'), first);
  store.close();
  other.close();
});

test('all(), one() and scalar() give the same rows through cached statements, with fresh bindings each call', async () => {
  const store = await openStore(':memory:');
  const db = store.db;
  db.run('CREATE TABLE t (a INTEGER, b TEXT)');
  db.run("INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')");
  const sql = 'SELECT a, b FROM t WHERE a >= ? ORDER BY a';
  assert.deepEqual(all(db, sql, [2]), [{ a: 2, b: 'y' }, { a: 3, b: 'z' }]);
  assert.deepEqual(all(db, sql, [3]), [{ a: 3, b: 'z' }]);
  assert.deepEqual(one(db, 'SELECT b FROM t WHERE a = ?', [1]), { b: 'x' });
  assert.equal(one(db, 'SELECT b FROM t WHERE a = ?', [9]), undefined);
  assert.equal(scalar(db, 'SELECT COUNT(*) FROM t WHERE a > ?', [1]), 2);
  assert.throws(() => all(db, 'SELECT nope FROM t'), /no such column/);
  // Statements left in the cache hold no transaction open: a write and a schema change go through.
  store.write((d) => d.run('UPDATE t SET b = ? WHERE a = 1', ['w']));
  db.run('ALTER TABLE t ADD COLUMN c INTEGER DEFAULT 7');
  assert.deepEqual(all(db, 'SELECT a, b FROM t WHERE a >= ? ORDER BY a', [1])[0], { a: 1, b: 'w' });
  assert.deepEqual(all(db, 'SELECT * FROM t WHERE a = ?', [1]), [{ a: 1, b: 'w', c: 7 }]);
  store.close();
});
