// `loupe read` from the terminal: --plan offline on the bundled sample, and a run against the local
// server through --base-url, the key taken from the environment and never printed.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type FakeServer, startFakeServer } from '../llm/fake-server';
import { tempDir } from '../helpers';

const ROOT = join(__dirname, '..', '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const SAMPLE = join(ROOT, 'test', 'fixtures', 'sample');
const env = (extra: Record<string, string> = {}) => ({ ...process.env, HOME: tempDir('loupe-home-'), CLAUDE_CONFIG_DIR: '', LOUPE_DB: '', ANTHROPIC_API_KEY: '', ...extra });

let server: FakeServer;
let db: string;
before(async () => {
  server = await startFakeServer({ text: 'ADD Outline: a ledger session\nCONFIDENCE: 0.2' });
  db = join(tempDir(), 'loupe.db');
  assert.equal(spawnSync(process.execPath, [CLI, '--db', db, 'ingest', SAMPLE], { env: env() }).status, 0);
});
after(() => server.close());

test('read --plan prints the passes, sizes within the window and the dense comparison, offline', () => {
  const r = spawnSync(process.execPath, [CLI, '--db', db, 'read', 'latest', '--window', '16000', '--plan'], { encoding: 'utf8', env: env() });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Progressive read plan: .* — 149 turns, window 16,000 tokens/);
  assert.match(r.stdout, /\n1\/\d+ +outline +R4\+R3 +1–149 +0–100%/);
  assert.match(r.stdout, /Dense read: [\d,]+ tokens in \d+ calls/);
  const json = JSON.parse(spawnSync(process.execPath, [CLI, '--db', db, '--json', 'read', 'latest', '--window', '16k', '--plan'], { encoding: 'utf8', env: env() }).stdout) as {
    window: number;
    passes: { promptTokens: number }[];
    outputCap: number;
  };
  assert.ok(json.passes.every((p) => p.promptTokens + json.outputCap <= json.window));
  const none = spawnSync(process.execPath, [CLI, '--db', db, 'read', 'latest', '--window', '16000'], { encoding: 'utf8', env: env() });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /set ANTHROPIC_API_KEY/);
  assert.equal(spawnSync(process.execPath, [CLI, '--db', db, 'read', 'latest', '--window', '300', '--plan'], { env: env() }).status, 2);
});

/** The CLI as a child process (spawnSync would block the server this process runs). */
async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, '--db', db, ...args], { env: env({ ANTHROPIC_API_KEY: 'sk-secret-123' }) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

test('read runs the passes against --base-url and prints the final state; the key is never printed', async () => {
  const { code, stdout, stderr } = await run(['read', 'latest', '--window', '16000', '--base-url', server.url]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /## Outline\n\n- a ledger session/);
  assert.match(stderr, /pass 1\/\d+ outline R4\+R3 turns 1–149/);
  assert.match(stderr, /read done \(run \d+\): \d+ calls/);
  assert.ok(!stdout.includes('sk-secret-123') && !stderr.includes('sk-secret-123'));
});

test('a read stopped by a refused key says how to resume it, and --resume finishes it', async () => {
  server.script.push({ text: 'ADD Outline: first pass' }, { status: 401 });
  const failed = await run(['read', 'latest', '--window', '16000', '--base-url', server.url]);
  assert.equal(failed.code, 1);
  const resume = /continue it with --resume (\d+)/.exec(failed.stderr);
  assert.ok(resume, failed.stderr);
  assert.match(failed.stderr, /stopped after 1 of \d+ passes/);
  const resumed = await run(['read', 'latest', '--window', '16000', '--base-url', server.url, '--resume', resume[1]!]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /- first pass\n- a ledger session/);
  assert.doesNotMatch(resumed.stderr, /pass 1\//);
});
