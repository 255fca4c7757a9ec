// The CLI when its reader goes away early (`loupe show … | head -1`): a closed stdout ends the
// command quietly with status 0, for every command that prints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { assistant, CWD, jsonl, PROJECT, prompt, SESSION, tempDir, toolResult, toolUse, writeFile } from './helpers';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const TURNS = 120;

function env(): NodeJS.ProcessEnv {
  return { ...process.env, HOME: tempDir('loupe-home-'), CLAUDE_CONFIG_DIR: '', XDG_CONFIG_HOME: '', LOUPE_DB: '' };
}

/**
 * A session whose every listing is far beyond a pipe's buffer (64 KB on Linux), so the CLI is
 * still writing when the reader closes: 120 turns, each a long prompt and a read of src/app.ts.
 */
function ingested(): string {
  const dir = tempDir('loupe-pipe-');
  const lines: string[] = [];
  let parent: string | null = null;
  for (let t = 1; t <= TURNS; t++) {
    const [u, a, r] = [`u${t}`, `a${t}`, `r${t}`];
    lines.push(prompt({ uuid: u, parent }, `Turn ${t}: look at src/app.ts again. ${'Explain the request handler in detail. '.repeat(100)}`));
    lines.push(assistant({ uuid: a, parent: u, messageId: `m${t}` }, toolUse(`t${t}`, 'Read', { file_path: `${CWD}/src/app.ts` })));
    // The first read (e3) alone outgrows the buffer too.
    lines.push(toolResult({ uuid: r, parent: a }, `t${t}`, 'export function handler() { return 1; }\n'.repeat(t === 1 ? 4000 : 120)));
    parent = r;
  }
  writeFile(join(dir, 'projects', PROJECT, `${SESSION}.jsonl`), jsonl(lines));
  const db = join(dir, 'db', 'loupe.db');
  const r = spawnSync(process.execPath, [CLI, '--db', db, 'ingest', dir], { encoding: 'utf8', env: env() });
  assert.equal(r.status, 0, r.stderr);
  return db;
}

/**
 * Runs the CLI into `head -1` through a real pipe (64 KB of buffer: a child's stdout made by
 * spawn() is a socket pair, whose larger buffer can swallow the whole listing before the reader
 * closes it). Returns the CLI's own exit status, its stderr and what head printed.
 */
function intoHead(args: string[]): { code: number | null; stderr: string; firstLine: string } {
  const r = spawnSync('bash', ['-c', '"$0" "$@" | head -1; exit "${PIPESTATUS[0]}"', process.execPath, CLI, ...args], { encoding: 'utf8', env: env() });
  return { code: r.status, stderr: r.stderr, firstLine: r.stdout };
}

test('a reader that closes stdout early (| head -1) ends show, recall and related quietly with status 0', () => {
  const db = ingested();
  for (const args of [
    ['show', 'latest'],
    ['show', 'e3'],
    ['--json', 'recall', 'handler', '--limit', '60', '--budget', '1000000'], // --json: no budget summary on stderr
    ['related', 'src/app.ts', '--budget', '1000000'],
  ]) {
    const full = spawnSync(process.execPath, [CLI, '--db', db, ...args], { encoding: 'utf8', env: env(), maxBuffer: 1 << 26 });
    assert.ok(full.stdout.length > 2 * 65536, `${args.join(' ')} prints more than a pipe holds (${full.stdout.length} bytes)`);
    const r = intoHead(['--db', db, ...args]);
    assert.notEqual(r.firstLine, '', `${args.join(' ')} printed something before the reader left`);
    assert.equal(r.stderr, '', `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.code, 0, args.join(' '));
  }
});
