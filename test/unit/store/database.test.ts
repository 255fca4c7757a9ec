// DatabaseFile: opening (and recovering from a damaged file), write() transactions, seeing other
// processes' saves, and SQL functions surviving save and reload.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import type { Database } from 'sql.js';
import { DatabaseFile } from '../../../src/core/store/database';
import { readSchemaVersion } from '../../../src/core/store/migrate';
import { SCHEMA_VERSION } from '../../../src/core/store/schema';
import { CHILD_ENV, expectCleanExit, say, scalar, schemaOf, spawnChild, tempDir } from './helpers';

if (process.env[CHILD_ENV] === 'bump') {
  void (async () => {
    const db = await DatabaseFile.open(process.argv[2]!);
    db.write((d) => d.run('UPDATE counter SET n = n + 1'));
    db.close();
    say('bumped');
  })();
} else {
  tests();
}

async function withCounter(file: string, options: Parameters<typeof DatabaseFile.open>[1] = {}): Promise<DatabaseFile> {
  const db = await DatabaseFile.open(file, options);
  db.write((d) => {
    d.run('CREATE TABLE IF NOT EXISTS counter (n INTEGER NOT NULL)');
    if (scalar(d, 'SELECT COUNT(*) FROM counter') === 0) d.run('INSERT INTO counter VALUES (0)');
  });
  return db;
}

const count = (db: DatabaseFile): unknown => scalar(db.db, 'SELECT n FROM counter');

async function freshSchema(): Promise<string[][]> {
  const mem = await DatabaseFile.open(':memory:');
  const schema = schemaOf(mem.db);
  mem.close();
  return schema;
}

function tests(): void {
  test('open creates missing folders and a migrated database file', async (t) => {
    const file = join(tempDir(t), 'global', 'storage', 'loupe.db');
    const notices: string[] = [];
    const db = await DatabaseFile.open(file, { onNotice: (m) => notices.push(m) });
    assert.equal(db.recovered, false);
    assert.equal(db.path, file);
    assert.equal(readSchemaVersion(db.db), SCHEMA_VERSION);
    assert.ok(statSync(file).size > 0, 'the new database is saved at once');
    assert.deepEqual(notices, []);
    db.close();
    assert.throws(() => db.db, /closed/);
  });

  test('reopening a file gives back what was written', async (t) => {
    const file = join(tempDir(t), 'loupe.db');
    const a = await withCounter(file);
    a.write((d) => d.run('UPDATE counter SET n = 41'));
    a.close();
    const b = await DatabaseFile.open(file);
    assert.equal(count(b), 41);
    assert.equal(b.recovered, false);
    b.close();
  });

  for (const [name, damage] of [
    ['random bytes', (file: string) => writeFileSync(file, randomBytes(64 * 1024))],
    ['a truncated real database', (file: string) => truncateSync(file, Math.floor(statSync(file).size / 2))],
    ['an empty file', (file: string) => writeFileSync(file, '')],
  ] as const) {
    test(`a damaged file (${name}) is moved aside, replaced by a fresh database, and the user told`, async (t) => {
      const dir = tempDir(t);
      const file = join(dir, 'loupe.db');
      const seeded = await withCounter(file);
      // Enough rows for many pages, so truncation cuts through data, not just past the end.
      seeded.write((d) => {
        d.run('CREATE TABLE filler (x TEXT NOT NULL)');
        for (let i = 0; i < 500; i++) d.run('INSERT INTO filler VALUES (?)', [`${i} ${'x'.repeat(200)}`]);
      });
      seeded.close();
      damage(file);
      const damagedBytes = readFileSync(file);

      const notices: string[] = [];
      const db = await DatabaseFile.open(file, { onNotice: (m) => notices.push(m) });
      assert.equal(db.recovered, true);
      const aside = readdirSync(dir).filter((n) => n.startsWith('loupe.db.corrupt-'));
      assert.equal(aside.length, 1);
      assert.match(aside[0]!, /^loupe\.db\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
      const asidePath = join(dir, aside[0]!);
      assert.deepEqual(readFileSync(asidePath), damagedBytes, 'the damaged bytes are kept for inspection');
      assert.equal(notices.length, 1);
      assert.ok(notices[0]!.includes(file) && notices[0]!.includes(asidePath), notices[0]);
      assert.deepEqual(schemaOf(db.db), await freshSchema(), 'an empty database of the current schema');
      db.close();

      const again = await DatabaseFile.open(file, { onNotice: (m) => notices.push(m) });
      assert.equal(again.recovered, false, 'the replacement was saved and is healthy');
      assert.equal(notices.length, 1);
      again.close();
    });
  }

  test('write() commits and saves; on error it rolls back and saves nothing', async (t) => {
    const file = join(tempDir(t), 'loupe.db');
    const db = await withCounter(file);
    assert.equal(
      db.write((d) => {
        d.run('UPDATE counter SET n = n + 1');
        return 'result';
      }),
      'result',
    );
    const saved = readFileSync(file);
    const boom = new Error('boom');
    assert.throws(
      () =>
        db.write((d) => {
          d.run('UPDATE counter SET n = 99');
          throw boom;
        }),
      (err) => err === boom,
    );
    assert.equal(count(db), 1, 'the in-memory database is as before the failed write');
    assert.deepEqual(readFileSync(file), saved, 'nothing was saved');
    assert.equal(existsSync(`${file}.lock`), false, 'the lock was released');
    db.write((d) => d.run('UPDATE counter SET n = n + 1'));
    assert.equal(count(db), 2, 'the database is usable after a failed write');
    db.close();
  });

  test('a write() whose save fails is undone in memory too', async (t) => {
    const file = join(tempDir(t), 'loupe.db');
    const db = await withCounter(file);
    rmSync(`${file}.bak`);
    mkdirSync(join(`${file}.bak`, 'in-the-way'), { recursive: true }); // the .bak cannot be replaced
    assert.throws(() => db.write((d) => d.run('UPDATE counter SET n = 5')));
    assert.equal(count(db), 0, 'memory matches the file again');
    assert.deepEqual(
      readdirSync(dirname(file)).sort(),
      ['loupe.db', 'loupe.db.bak'],
      'no temp file or lock left behind',
    );
    rmSync(`${file}.bak`, { recursive: true });
    db.write((d) => d.run('UPDATE counter SET n = 6'));
    assert.equal(count(db), 6);
    db.close();
  });

  test('a nested write() runs inside the outer transaction', async (t) => {
    const file = join(tempDir(t), 'loupe.db');
    const db = await withCounter(file);
    assert.throws(() =>
      db.write((d) => {
        d.run('UPDATE counter SET n = 10');
        db.write((inner) => inner.run('UPDATE counter SET n = n + 1'));
        assert.equal(count(db), 11);
        db.save(); // deferred to the outer write: export() cannot run inside a transaction
        throw new Error('outer fails');
      }),
    );
    assert.equal(count(db), 0, 'the inner write was rolled back with the outer one');
    db.write((d) => {
      d.run('UPDATE counter SET n = 10');
      db.write((inner) => inner.run('UPDATE counter SET n = n + 1'));
    });
    const reopened = await DatabaseFile.open(file);
    assert.equal(count(reopened), 11);
    reopened.close();
    db.close();
  });

  test('read() runs its statements in one transaction, closes it, and refuses a write() inside', async (t) => {
    const db = await withCounter(join(tempDir(t), 'loupe.db'));
    const opensTransaction = (d: Database) => {
      try {
        d.run('BEGIN');
      } catch {
        return false; // one is open already
      }
      d.run('ROLLBACK');
      return true;
    };
    assert.equal(db.read((d) => opensTransaction(d)), false, 'inside read() a transaction is open');
    assert.equal(opensTransaction(db.db), true, 'and closed after it');
    assert.throws(() => db.read(() => db.write((d) => d.run('UPDATE counter SET n = 7'))), /write\(\) inside read\(\)/);
    assert.equal(count(db), 0);
    // Reads only: a change made on the connection inside read() does not outlive it.
    db.read((d) => d.run('UPDATE counter SET n = 9'));
    assert.equal(count(db), 0);
    // An error leaves no transaction behind.
    assert.throws(() => db.read(() => { throw new Error('boom'); }), /boom/);
    assert.equal(opensTransaction(db.db), true);
    // Inside write() (and a read() already open) it just runs, and sees the write's changes.
    db.write((d) => {
      d.run('UPDATE counter SET n = 4');
      assert.equal(db.read(() => db.read(() => count(db))), 4);
    });
    assert.equal(count(db), 4);
    db.close();
  });

  test('an async write() callback is refused and rolled back', async (t) => {
    const db = await withCounter(join(tempDir(t), 'loupe.db'));
    assert.throws(
      () =>
        db.write(async (d) => {
          d.run('UPDATE counter SET n = 5');
        }),
      TypeError,
    );
    assert.equal(count(db), 0);
    db.close();
  });

  test(':memory: databases write without a lock or a file', async (t) => {
    const dir = tempDir(t);
    const cwd = process.cwd();
    process.chdir(dir);
    t.after(() => process.chdir(cwd));
    const db = await withCounter(':memory:');
    db.write((d) => d.run('UPDATE counter SET n = 3'));
    db.save();
    assert.equal(count(db), 3);
    assert.equal(db.changedOnDisk(), false);
    assert.equal(db.reload(), false);
    assert.deepEqual(readdirSync(dir), []);
    db.close();
  });

  test("changedOnDisk and reload see another process's save", async (t) => {
    const file = join(tempDir(t), 'loupe.db');
    const db = await withCounter(file);
    assert.equal(db.changedOnDisk(), false);
    assert.equal(db.reload(), false);
    const other = spawnChild('bump', [file]);
    await expectCleanExit(other);
    assert.ok(other.lines.includes('bumped'));
    assert.equal(db.changedOnDisk(), true);
    assert.equal(count(db), 0, 'not reloaded behind our back');
    assert.equal(db.reload(), true);
    assert.equal(count(db), 1);
    assert.equal(db.changedOnDisk(), false);
    assert.equal(db.reload(), false);
    db.close();
  });

  test('write() applies to the latest saved copy: two handles never lose an update', async (t) => {
    const file = join(tempDir(t), 'loupe.db');
    const a = await withCounter(file);
    const b = await DatabaseFile.open(file);
    for (let i = 0; i < 5; i++) {
      a.write((d) => d.run('UPDATE counter SET n = n + 1'));
      b.write((d) => d.run('UPDATE counter SET n = n + 1'));
    }
    assert.equal(count(b), 10);
    a.reload();
    assert.equal(count(a), 10);
    a.close();
    b.close();
  });

  test('save() refuses to overwrite a file another process saved since', async (t) => {
    const file = join(tempDir(t), 'loupe.db');
    const a = await withCounter(file);
    const b = await DatabaseFile.open(file);
    b.write((d) => d.run('UPDATE counter SET n = 7'));
    a.db.run('UPDATE counter SET n = 1');
    assert.throws(() => a.save(), /changed by another process/);
    a.close();
    const check = await DatabaseFile.open(file);
    assert.equal(count(check), 7);
    check.close();
    b.close();
  });

  test('functions from registerFunctions still work after save() and after reload()', async (t) => {
    const file = join(tempDir(t), 'loupe.db');
    let registrations = 0;
    const registerFunctions = (db: Database): void => {
      registrations++;
      db.create_function('loupe_twice', (x: number) => x * 2);
    };
    const db = await withCounter(file, { registerFunctions });
    const twice = (): unknown => scalar(db.db, 'SELECT loupe_twice(21)');
    assert.equal(twice(), 42);

    const before = registrations;
    db.write((d) => d.run('UPDATE counter SET n = loupe_twice(n + 1)'));
    assert.equal(twice(), 42, 'after save()');
    // Older sql.js dropped create_function registrations in export(); the installed 1.16 keeps
    // them, so this pins the contract (re-register after every export) rather than the version.
    assert.ok(registrations > before, 'registerFunctions re-run after the export');

    const other = spawnChild('bump', [file]);
    await expectCleanExit(other);
    assert.equal(db.reload(), true);
    assert.equal(twice(), 42, 'after reload(): a new sql.js instance');
    assert.equal(db.write((d) => scalar(d, 'SELECT loupe_twice(n) FROM counter')), 6);
    db.close();
  });
}
