// Atomic saves: the previous file is kept as .bak, and a process killed in the middle of saving
// never leaves a damaged database behind.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, utimesSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DatabaseFile } from '../../../src/core/store/database';
import { removeStaleTempFiles, writeFileAtomic } from '../../../src/core/store/persist';
import { loadSqlJs } from '../../../src/core/store/sqlite';
import { CHILD_ENV, delay, say, scalar, schemaOf, spawnChild, tempDir } from './helpers';

const ROWS = 400;
const PAYLOAD = 10_000; // 400 × 10 kB: a 4 MB database, so a save takes a while to write
const ROUNDS = 8;

if (process.env[CHILD_ENV] === 'crash-saver') {
  void saveForever(process.argv[2]!);
} else {
  tests();
}

/** Child: rewrites every row with a new generation number and saves, forever, until killed. */
async function saveForever(file: string): Promise<void> {
  const db = await DatabaseFile.open(file);
  if (scalar(db.db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'payload'") === 0) {
    db.write((d) => {
      d.run('CREATE TABLE payload (id INTEGER PRIMARY KEY, gen INTEGER NOT NULL, data BLOB NOT NULL)');
      for (let i = 0; i < ROWS; i++) d.run('INSERT INTO payload (gen, data) VALUES (0, randomblob(?))', [PAYLOAD]);
    });
  }
  let gen = Number(scalar(db.db, 'SELECT MAX(gen) FROM payload'));
  say(`ready ${gen}`);
  for (;;) {
    gen++;
    db.write((d) => {
      d.run('UPDATE payload SET gen = ?', [gen]);
      d.run('UPDATE payload SET data = randomblob(?) WHERE id % 20 = ?', [PAYLOAD, gen % 20]); // new bytes each save
    });
    say(`saved ${gen}`); // printed only once the save returned: this generation is on disk
  }
}

function tests(): void {
  test('writeFileAtomic creates the file without a .bak or leftovers', (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'a.db');
    writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    assert.deepEqual([...readFileSync(file)], [1, 2, 3]);
    assert.deepEqual(readdirSync(dir), ['a.db']);
  });

  test('writeFileAtomic keeps the previous file as .bak and replaces the file in one step', (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'a.db');
    writeFileAtomic(file, Buffer.from('first'));
    writeFileAtomic(file, Buffer.from('second'));
    assert.equal(readFileSync(file, 'utf8'), 'second');
    assert.equal(readFileSync(`${file}.bak`, 'utf8'), 'first');
    writeFileAtomic(file, Buffer.from('third'));
    assert.equal(readFileSync(file, 'utf8'), 'third');
    assert.equal(readFileSync(`${file}.bak`, 'utf8'), 'second');
    assert.deepEqual(readdirSync(dir).sort(), ['a.db', 'a.db.bak']);
  });

  test('removeStaleTempFiles removes only old temp files of that database', (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'a.db');
    const old = join(dir, '.a.db.123.abc.tmp');
    const recent = join(dir, '.a.db.456.def.tmp');
    const other = join(dir, '.b.db.789.aaa.tmp');
    for (const f of [old, recent, other]) writeFileSync(f, 'x');
    const past = new Date(Date.now() - 120_000);
    utimesSync(old, past, past);
    utimesSync(other, past, past);
    removeStaleTempFiles(file, 60_000);
    assert.equal(existsSync(old), false);
    assert.equal(existsSync(recent), true, 'a save may be in progress');
    assert.equal(existsSync(other), true, 'another database is not ours to clean');
  });

  test('SIGKILL in the middle of saving a 4 MB database never leaves a damaged or stale file', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'loupe.db');
    const SQL = await loadSqlJs();
    const leftovers = new Set<string>();
    const fresh = await DatabaseFile.open(':memory:');
    const expected = schemaOf(fresh.db);
    fresh.close();
    let lastGen = -1;
    for (let round = 0; round < ROUNDS; round++) {
      const child = spawnChild('crash-saver', [file]);
      await child.waitFor((l) => l.startsWith('saved '));
      if (round % 2 === 0) {
        await delay(20 + Math.random() * 200);
      } else {
        // Aim at the dangerous moment: kill as soon as a save's temporary file appears.
        await new Promise<void>((resolve) => {
          const watcher = watch(dir, (_event, name) => {
            if (name?.startsWith('.loupe.db.') && !name.includes('.bak.')) {
              watcher.close();
              resolve();
            }
          });
        });
      }
      child.proc.kill('SIGKILL');
      const { signal } = await child.exited;
      assert.equal(signal, 'SIGKILL', `round ${round}: the child was still saving when killed`);
      const printed = Math.max(...child.lines.filter((l) => l.startsWith('saved ')).map((l) => Number(l.slice(6))));
      for (const n of readdirSync(dir)) if (n.endsWith('.tmp')) leftovers.add(n);

      // The raw bytes: a complete database whose every row is from one single save.
      const db = new SQL.Database(readFileSync(file));
      assert.deepEqual(db.exec('PRAGMA quick_check')[0]?.values, [['ok']], `round ${round}`);
      assert.equal(scalar(db, 'SELECT COUNT(*) FROM payload'), ROWS);
      assert.equal(scalar(db, 'SELECT COUNT(DISTINCT gen) FROM payload'), 1, 'rows from two saves: torn write');
      const gen = Number(scalar(db, 'SELECT gen FROM payload LIMIT 1'));
      // Every save the child reported finished is on disk; at most one more finished unreported.
      assert.ok(gen === printed || gen === printed + 1, `round ${round}: file has gen ${gen}, child reported ${printed}`);
      assert.ok(gen > lastGen);
      lastGen = gen;
      db.close();

      // And it opens as a healthy Loupe database (taking over the dead child's lock on the way).
      const opened = await DatabaseFile.open(file, { lockTimeoutMs: 5_000 });
      assert.equal(opened.recovered, false);
      assert.deepEqual(
        schemaOf(opened.db).filter((r) => r[1] !== 'payload'),
        expected,
      );
      opened.close();
    }
    const bak = new SQL.Database(readFileSync(`${file}.bak`));
    assert.deepEqual(bak.exec('PRAGMA quick_check')[0]?.values, [['ok']], '.bak is a complete database too');
    bak.close();
    t.diagnostic(`temp files left by kills that landed mid-write: ${leftovers.size} (over ${ROUNDS} rounds)`);
    assert.ok(leftovers.size > 0, 'no kill landed during a write: the test did not exercise the crash window');
  });
}
