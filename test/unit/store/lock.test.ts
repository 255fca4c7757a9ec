// The cross-process writer lock: a live holder makes others wait and then time out naming it; a
// dead or silent holder is replaced; and real processes writing at once lose no update.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DatabaseFile } from '../../../src/core/store/database';
import { acquireLockSync, lockPathFor, LockTimeoutError, type LockHolder } from '../../../src/core/store/lock';
import { CHILD_ENV, expectCleanExit, say, scalar, sleepSync, spawnChild, tempDir } from './helpers';

const INCREMENTS = 50;

const mode = process.env[CHILD_ENV];
if (mode === 'hold-lock') {
  acquireLockSync(process.argv[2]!);
  say('locked');
  setInterval(() => {}, 60_000); // hold it until killed
} else if (mode === 'grab-lock') {
  // Waits for the go file, then tries once to get a lock it will judge stale after 250 ms.
  const [file, go] = [process.argv[2]!, process.argv[3]!];
  say('waiting');
  while (!existsSync(go)) sleepSync(5);
  try {
    acquireLockSync(file, { staleMs: 250, timeoutMs: 600 })();
    say('took');
  } catch (err) {
    say(err instanceof LockTimeoutError ? 'timeout' : String(err));
  }
} else if (mode === 'counter') {
  void countUp(process.argv[2]!, process.argv[3]!);
} else {
  tests();
}

/** Child: waits for the go file so both children start together, then increments 50 times. */
async function countUp(file: string, go: string): Promise<void> {
  const db = await DatabaseFile.open(file, { lockTimeoutMs: 30_000 });
  say('ready');
  while (!existsSync(go)) sleepSync(5);
  for (let i = 0; i < INCREMENTS; i++) db.write((d) => d.run('UPDATE counter SET n = n + 1'));
  db.close();
  say('done');
}

function holderOf(file: string): LockHolder {
  return JSON.parse(readFileSync(lockPathFor(file), 'utf8')) as LockHolder;
}

/** A pid that surely belongs to no process: one of a child that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

function tests(): void {
  test('a second acquirer times out with an error naming the holder', async (t) => {
    const file = join(tempDir(t), 'loupe.db');
    const holder = spawnChild('hold-lock', [file]);
    t.after(() => holder.proc.kill('SIGKILL'));
    await holder.waitFor((l) => l === 'locked');
    const started = Date.now();
    assert.throws(
      () => acquireLockSync(file, { timeoutMs: 300, retryMs: 20 }),
      (err: unknown) =>
        err instanceof LockTimeoutError &&
        err.holder?.pid === holder.proc.pid &&
        err.message.includes(`pid ${holder.proc.pid}`) &&
        err.message.includes(lockPathFor(file)),
    );
    const waited = Date.now() - started;
    assert.ok(waited >= 280 && waited < 3_000, `waited ${waited} ms`);
  });

  test('the lock of a process that died is taken over at once, long before it would go stale', async (t) => {
    const file = join(tempDir(t), 'loupe.db');
    const holder = spawnChild('hold-lock', [file]);
    await holder.waitFor((l) => l === 'locked');
    holder.proc.kill('SIGKILL');
    await holder.exited;
    assert.equal(holderOf(file).pid, holder.proc.pid, 'the dead process left its lock behind');
    const started = Date.now();
    const release = acquireLockSync(file, { staleMs: 60_000, timeoutMs: 5_000 });
    assert.ok(Date.now() - started < 1_000);
    assert.equal(holderOf(file).pid, process.pid);
    release();
    assert.equal(existsSync(lockPathFor(file)), false);
  });

  test('a lock not refreshed for staleMs is taken over even if its holder may be alive elsewhere', (t) => {
    const file = join(tempDir(t), 'loupe.db');
    const old = new Date(Date.now() - 60_000);
    writeFileSync(lockPathFor(file), JSON.stringify({ pid: 4242, hostname: 'other-host', acquiredAt: old.toISOString() }));
    utimesSync(lockPathFor(file), old, old);
    const release = acquireLockSync(file, { staleMs: 30_000, timeoutMs: 1_000 });
    assert.equal(holderOf(file).pid, process.pid);
    assert.equal(holderOf(file).hostname, hostname());
    release();
  });

  test('a fresh lock from another host is respected: its pid cannot be checked from here', (t) => {
    const file = join(tempDir(t), 'loupe.db');
    writeFileSync(lockPathFor(file), JSON.stringify({ pid: 4242, hostname: 'other-host', acquiredAt: new Date().toISOString() }));
    assert.throws(() => acquireLockSync(file, { timeoutMs: 150 }), /held by pid 4242 on other-host/);
  });

  test('an empty lock file is left to its creator for a moment, then taken over', (t) => {
    const file = join(tempDir(t), 'loupe.db');
    writeFileSync(lockPathFor(file), ''); // created with 'wx', holder not written yet
    assert.throws(() => acquireLockSync(file, { timeoutMs: 150 }), LockTimeoutError);
    // Still empty a second later: its creator died between 'wx' and writing its name.
    const past = new Date(Date.now() - 1_500);
    utimesSync(lockPathFor(file), past, past);
    const release = acquireLockSync(file, { timeoutMs: 1_000 });
    assert.equal(holderOf(file).pid, process.pid);
    release();
  });

  test('refresh keeps a long hold fresh; release leaves a lock that was taken over alone', (t) => {
    const file = join(tempDir(t), 'loupe.db');
    const release = acquireLockSync(file);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPathFor(file), old, old);
    assert.equal(release.refresh(), true);
    assert.ok(Date.now() - statSync(lockPathFor(file)).mtimeMs < 5_000);
    // Someone judged us stale and took over: the lock file now names them.
    writeFileSync(lockPathFor(file), JSON.stringify({ pid: 1, hostname: 'x', acquiredAt: '', token: 'theirs' }));
    assert.equal(release.isHeld(), false);
    assert.equal(release.refresh(), false);
    release();
    assert.equal(holderOf(file).token, 'theirs');
  });

  for (const refresh of [false, true]) {
    test(
      refresh
        ? 'refreshLock() keeps a long write() from being taken over'
        : 'a write() that outlives its lock fails, rolls back and saves nothing',
      async (t) => {
        const dir = tempDir(t);
        const file = join(dir, 'loupe.db');
        const go = join(dir, 'go');
        const db = await DatabaseFile.open(file);
        db.write((d) => d.run('CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0)'));
        const saved = readFileSync(file);
        const other = spawnChild('grab-lock', [file, go]);
        const longWrite = (): void =>
          db.write((d) => {
            d.run('UPDATE counter SET n = 1');
            writeFileSync(go, '');
            for (let i = 0; i < 16; i++) {
              sleepSync(75); // 1.2 s in all, well past the other's 250 ms stale limit and 600 ms timeout
              if (refresh) db.refreshLock();
            }
          });
        await other.waitFor((l) => l === 'waiting');
        if (refresh) longWrite();
        else assert.throws(longWrite, /lost the lock/);
        await expectCleanExit(other);
        assert.deepEqual(other.lines, ['waiting', refresh ? 'timeout' : 'took']);
        assert.equal(scalar(db.db, 'SELECT n FROM counter'), refresh ? 1 : 0);
        if (!refresh) assert.deepEqual(readFileSync(file), saved);
        db.close();
      },
    );
  }

  test('two processes doing 50 write() increments each lose no update, even racing to take over a dead lock', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'loupe.db');
    const go = join(dir, 'go');
    const setup = await DatabaseFile.open(file);
    setup.write((d) => {
      d.run('CREATE TABLE counter (n INTEGER NOT NULL)');
      d.run('INSERT INTO counter VALUES (0)');
    });
    setup.close();
    const children = [spawnChild('counter', [file, go]), spawnChild('counter', [file, go])];
    for (const c of children) await c.waitFor((l) => l === 'ready');
    // Both start by finding the lock of a dead process, which both will try to take over.
    writeFileSync(lockPathFor(file), JSON.stringify({ pid: deadPid(), hostname: hostname(), acquiredAt: new Date().toISOString() }));
    writeFileSync(go, '');
    await Promise.all(children.map(expectCleanExit));
    const check = await DatabaseFile.open(file);
    assert.equal(scalar(check.db, 'SELECT n FROM counter'), 2 * INCREMENTS);
    check.close();
  });
}
