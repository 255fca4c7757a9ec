// The CLI, driven as a user drives it: a real process, real files, exit codes and output.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assistant, jsonl, PROJECT, prompt, record, SESSION, tempDir, text, toolResult, toolUse, writeFile } from './helpers';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

function loupe(args: string[], env: Record<string, string> = {}) {
  const home = tempDir('loupe-home-');
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: home, CLAUDE_CONFIG_DIR: '', XDG_CONFIG_HOME: '', LOUPE_DB: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function fixture(): { dir: string; db: string; file: string } {
  const dir = tempDir();
  const file = writeFile(
    join(dir, 'projects', PROJECT, `${SESSION}.jsonl`),
    jsonl([
      prompt({ uuid: 'u1' }, 'Add a coupon field to checkout'),
      assistant({ uuid: 'a1', parent: 'u1', messageId: 'm1' }, toolUse('toolu_1', 'Read', { file_path: '/home/ana/shop-api/src/checkout.ts' })),
      toolResult({ uuid: 'u2', parent: 'a1' }, 'toolu_1', 'export function total() {}\n'.repeat(40)),
      '{"type":"assistant", broken',
      assistant({ uuid: 'a2', parent: 'u2', messageId: 'm2' }, text('Added the field.')),
      prompt({ uuid: 'u3', parent: 'a2' }, 'Run the tests'),
      assistant({ uuid: 'a3', parent: 'u3', messageId: 'm3' }, toolUse('toolu_2', 'Bash', { command: 'npm test' })),
      toolResult({ uuid: 'u4', parent: 'a3' }, 'toolu_2', '12 passed'),
    ]),
  );
  return { dir, db: join(dir, 'db', 'loupe.db'), file };
}

test('--help lists every command', () => {
  const r = loupe(['--help']);
  assert.equal(r.code, 0);
  for (const command of ['ingest', 'sessions', 'show', 'stats', '--db', '--json']) assert.match(r.stdout, new RegExp(`\\n  ${command}`));
});

test('bad arguments exit non-zero with a one-line error', () => {
  for (const args of [['frobnicate'], ['show'], ['--bogus'], ['ingest', '/no/such/folder']]) {
    const r = loupe(['--db', join(tempDir(), 'x.db'), ...args]);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^loupe: /);
  }
  const missing = loupe(['--db', join(tempDir(), 'x.db'), 'ingest', '/no/such/folder']);
  assert.match(missing.stderr, /\/no\/such\/folder/);
});

test('ingest reports skipped lines as file:line, then sessions, show and stats read the database', () => {
  const { dir, db, file } = fixture();
  const ingest = loupe(['--db', db, 'ingest', dir]);
  assert.equal(ingest.code, 0, ingest.stderr);
  assert.match(ingest.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: invalid JSON`));
  assert.match(ingest.stdout, /ingested 7 events from 1 files/);

  const sessions = loupe(['--db', db, 'sessions']);
  assert.equal(sessions.code, 0);
  assert.match(sessions.stdout, /id\s+project\s+title\s+turns\s+tokens\s+updated/);
  assert.match(sessions.stdout, /5b7e2c1a\s+shop-api\s+Add a coupon field to checkout\s+2/);

  const json = JSON.parse(loupe(['--db', db, '--json', 'sessions']).stdout) as { id: string; turns: number }[];
  assert.deepEqual(json.map((s) => [s.id, s.turns]), [[SESSION, 2]]);

  const show = loupe(['--db', db, 'show', '5b7e', '--turn', '2']);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /turn 2/);
  assert.match(show.stdout, /tool_result:Bash/);
  assert.doesNotMatch(show.stdout, /turn 1/);

  const stats = loupe(['--db', db, 'stats', 'latest']);
  assert.equal(stats.code, 0, stats.stderr);
  for (const section of ['Tokens by kind', 'Tokens by tool', 'Biggest tool outputs', 'Context fill over time', 'API usage']) {
    assert.match(stats.stdout, new RegExp(section));
  }
  assert.match(stats.stdout, /Read\s+1\s+[\d,]+/);
  // The last call is followed by a tool result: the fill now is that call's plus an estimate.
  assert.match(stats.stdout, /\n  calibration: [\d.]+ × visible [+−] [\d.]+k? \(3 calls, too few to fit a ratio\)\n/);
  assert.match(stats.stdout, /\n  now: ≈1,1\d\d tokens, estimated: the last API call's usage and what came in since/);
  const statsJson = JSON.parse(loupe(['--db', db, '--json', 'stats', SESSION]).stdout) as { biggestOutputs: { tool: string }[] };
  assert.equal(statsJson.biggestOutputs[0]!.tool, 'Read');
});

test('stats says when the context estimate counts the visible events only', () => {
  const dir = tempDir();
  const db = join(dir, 'db', 'loupe.db');
  // An assistant message without `usage`, as some exports and older agents write them.
  const reply = record('assistant', { message: { id: 'm1', role: 'assistant', model: 'x', content: [text('Added the field.')] } }, { uuid: 'a1', parent: 'u1' });
  writeFile(join(dir, 'projects', PROJECT, `${SESSION}.jsonl`), jsonl([prompt({ uuid: 'u1' }, 'Add a coupon field to checkout'), reply]));
  assert.equal(loupe(['--db', db, 'ingest', dir]).code, 0);
  const stats = loupe(['--db', db, 'stats', SESSION]);
  assert.match(stats.stdout, /\n  real \(API usage\) +none in this transcript\n  estimated \(visible only\)/);
  assert.match(stats.stdout, /\n  now: ≥\d+ tokens, visible events only: no API usage in this transcript/);
  assert.doesNotMatch(stats.stdout, /calibration:/);
  const json = JSON.parse(loupe(['--db', db, '--json', 'stats', SESSION]).stdout) as { contextEstimateVisibleOnly: boolean };
  assert.equal(json.contextEstimateVisibleOnly, true);
});

test('an unknown session is a clear error', () => {
  const { dir, db } = fixture();
  loupe(['--db', db, 'ingest', dir]);
  const r = loupe(['--db', db, 'stats', 'zzzz']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no session matches "zzzz"/);
});

test('a corrupt database is moved aside and rebuilt from the transcripts, and the user is told', () => {
  const { dir, db } = fixture();
  loupe(['--db', db, 'ingest', dir]);
  writeFileSync(db, 'this is not a database');
  const r = loupe(['--db', db, 'sessions'], { CLAUDE_CONFIG_DIR: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /corrupt/);
  assert.match(r.stderr, /rebuilt the database from 1 transcript files/);
  assert.match(r.stdout, /Add a coupon field/);
  assert.ok(readdirSync(join(dir, 'db')).some((f) => f.startsWith('loupe.db.corrupt-')));
  assert.ok(existsSync(db));
});

test('compact writes a markdown context within the budget, to stdout or --out, and says the ratio', () => {
  const { dir, db } = fixture();
  loupe(['--db', db, 'ingest', dir]);
  const r = loupe(['--db', db, 'compact', 'latest', '--budget', '600']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^# Session context: Add a coupon field to checkout/);
  assert.match(r.stdout, /## Working context/);
  assert.match(r.stderr, /compacted [\d,]+ tokens to [\d,]+ \(budget 600, [\d.]+× smaller\)/);
  const out = join(dir, 'ctx.md');
  const toFile = loupe(['--db', db, 'compact', SESSION, '--budget', '2k', '--out', out]);
  assert.equal(toFile.code, 0, toFile.stderr);
  assert.equal(toFile.stdout, '');
  assert.match(readFileSync(out, 'utf8'), /## Turns/);
  const json = JSON.parse(loupe(['--db', db, '--json', 'compact', SESSION, '--budget', '600']).stdout) as { tokens: number; budget: number };
  assert.ok(json.tokens <= json.budget);
});

test('compact refuses a missing or bad budget, and a budget too small for the outline', () => {
  const { dir, db } = fixture();
  loupe(['--db', db, 'ingest', dir]);
  for (const args of [['compact', 'latest'], ['compact', 'latest', '--budget', 'lots']]) {
    const r = loupe(['--db', db, ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /--budget/);
  }
  const tiny = loupe(['--db', db, 'compact', 'latest', '--budget', '20']);
  assert.equal(tiny.code, 1);
  assert.match(tiny.stderr, /budget of 20 tokens is too small/);
});

test('show --level prints each resolution, and show eN prints one event in full', () => {
  const { dir, db } = fixture();
  loupe(['--db', db, 'ingest', dir]);
  const r1 = loupe(['--db', db, 'show', 'latest', '--level', 'R1']);
  assert.equal(r1.code, 0, r1.stderr);
  const read = /\[output omitted — Read src\/checkout\.ts: 40 lines, errors: no — recall (e\d+)\]/.exec(r1.stdout);
  assert.ok(read, r1.stdout);
  assert.match(loupe(['--db', db, 'show', 'latest', '--level', 'R2']).stdout, /\*\*Intent:\*\* Add a coupon field to checkout/);
  assert.match(loupe(['--db', db, 'show', 'latest', '--level', 'R3']).stdout, /### Current State/);
  assert.match(loupe(['--db', db, 'show', 'latest', '--level', 'r4']).stdout, /## Outline/);
  assert.equal(loupe(['--db', db, 'show', 'latest', '--level', 'R9']).code, 2);
  const full = loupe(['--db', db, 'show', read[1]!]);
  assert.equal(full.code, 0, full.stderr);
  assert.equal(full.stdout.split('export function total() {}').length - 1, 40);
  assert.equal(loupe(['--db', db, 'show', 'e999999']).code, 1);
});
