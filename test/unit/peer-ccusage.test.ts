// Peer check: Loupe's per-session token totals against ccusage's (the devDependency, pinned),
// on generated sessions with subagents in both layouts, several lines per API call (the usage
// repeated on each), compactions and a rewind.
//
// What ccusage 20.0.24 does (`ccusage session --json --offline`, found by running it):
// - It reads every *.jsonl under `$CLAUDE_CONFIG_DIR/projects` (and ~/.claude, ~/.config/claude).
// - A row's key (`period`) comes from the file's path, never from the lines' `sessionId`:
//   `<enc>/<id>.jsonl` → `<id>`; `<enc>/<id>/subagents/agent-<a>.jsonl` → `<id>` (subagents are
//   counted in their parent's row); a legacy `<enc>/agent-<a>.jsonl` → its own row `agent-<a>`
//   (a phantom session); `<enc>/<id>/subagents/workflows/wf_x/agent-*.jsonl` → a row `wf_x`.
//   Rows are per (project folder, id): one id in two project folders gives two rows.
// - Usage lines are deduplicated across all files on (message.id, requestId), keeping the one
//   with the largest input+output+cache total (a non-sidechain line wins over a sidechain one);
//   a duplicate in another file adds nothing to that file's row.
//
// Loupe files a legacy agent file under the session its lines name (its parent), so the legacy
// rows are folded into their parent's here before comparing: the one deliberate difference.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths } from '../../src/core/ingest';
import { openStore } from '../../src/core/store/store';
import { type GeneratedSession, type UsageTotals, generateSession, writeProjects } from '../fixtures/generate';

const CCUSAGE = join(__dirname, '..', '..', '..', 'node_modules', '.bin', process.platform === 'win32' ? 'ccusage.cmd' : 'ccusage');

interface CcusageRow {
  period: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}

interface Totals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}

function fromGenerator(u: UsageTotals): Totals {
  return { inputTokens: u.input, outputTokens: u.output, cacheCreationTokens: u.cacheCreation, cacheReadTokens: u.cacheRead };
}

function pick(r: Totals): Totals {
  return { inputTokens: r.inputTokens, outputTokens: r.outputTokens, cacheCreationTokens: r.cacheCreationTokens, cacheReadTokens: r.cacheReadTokens };
}

/** A few sessions covering what makes usage hard to count. */
function peerSessions(): GeneratedSession[] {
  return [
    // Nested subagent, an auto-compaction (low threshold), the rewind, the repeated error.
    generateSession({ seed: 41, turns: 40, compactAt: 45_000, startTime: '2026-03-03T08:00:00.000Z' }),
    // Another project folder, a manual compaction, bigger files.
    generateSession({ seed: 42, turns: 24, cwd: '/srv/work/ops_dashboard', outputScale: 2, startTime: '2026-03-04T13:30:00.000Z' }),
    // An older version's session with its subagent in a legacy agent-<id>.jsonl beside it.
    generateSession({ seed: 43, turns: 14, subagentLayout: 'legacy', story: 'maintenance', startTime: '2026-02-27T16:45:00.000Z' }),
  ];
}

/** ccusage's per-session rows, seeing nothing but `root` (a throwaway HOME, a bare environment). */
function runCcusage(root: string, home: string): CcusageRow[] {
  assert.ok(existsSync(CCUSAGE), `ccusage is a devDependency; run npm ci (looked for ${CCUSAGE})`);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    USERPROFILE: home,
    CLAUDE_CONFIG_DIR: root,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    NO_COLOR: '1',
    TZ: 'UTC',
  };
  const r = spawnSync(CCUSAGE, ['session', '--json', '--offline'], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, `ccusage failed: ${r.error?.message ?? ''}\n${r.stderr}`);
  const out = JSON.parse(r.stdout) as { session: CcusageRow[] };
  return out.session;
}

/** ccusage rows keyed by session id, each legacy `agent-<id>` row added to its parent's. */
function ccusageBySession(rows: readonly CcusageRow[], sessions: readonly GeneratedSession[]): Map<string, Totals> {
  const parentOf = new Map<string, string>();
  for (const s of sessions) {
    for (const sub of s.expected.subagents) if (sub.layout === 'legacy') parentOf.set(`agent-${sub.agentId}`, s.sessionId);
  }
  const out = new Map<string, Totals>();
  for (const row of rows) {
    const id = parentOf.get(row.period) ?? row.period;
    const t = out.get(id) ?? { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0 };
    t.inputTokens += row.inputTokens;
    t.outputTokens += row.outputTokens;
    t.cacheCreationTokens += row.cacheCreationTokens;
    t.cacheReadTokens += row.cacheReadTokens;
    out.set(id, t);
  }
  return out;
}

/** Runs `fn` with a fresh projects root and an empty HOME, removed when `fn` has settled. */
async function withDirs(fn: (root: string, home: string) => void | Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'loupe-peer-'));
  const home = mkdtempSync(join(tmpdir(), 'loupe-peer-home-'));
  try {
    await fn(root, home);
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
}

test('ccusage counts exactly the usage the generator wrote (so the generator is a fair referee)', async () => {
  await withDirs((root, home) => {
    const sessions = peerSessions();
    writeProjects(root, sessions);
    const rows = runCcusage(root, home);
    // The layout rule above, checked: nested subagents fold into the parent's row, legacy ones do not.
    const legacy = sessions.flatMap((s) => s.expected.subagents.filter((a) => a.layout === 'legacy').map((a) => `agent-${a.agentId}`));
    assert.deepEqual(rows.map((r) => r.period).sort(), [...sessions.map((s) => s.sessionId), ...legacy].sort());
    const cc = ccusageBySession(rows, sessions);
    for (const s of sessions) {
      assert.deepEqual(cc.get(s.sessionId), fromGenerator(s.expected.usage), `session ${s.sessionId}: ccusage vs generator`);
    }
  });
});

test("Loupe's per-session totals match ccusage's", async () => {
  await withDirs(async (root, home) => {
    const sessions = peerSessions();
    writeProjects(root, sessions);
    const cc = ccusageBySession(runCcusage(root, home), sessions);
    const store = await openStore(':memory:');
    try {
      await ingestPaths(store, [join(root, 'projects')]);
      const ids = store.listSessions().map((s) => s.id).sort();
      assert.deepEqual(ids, sessions.map((s) => s.sessionId).sort(), 'one Loupe session per main file, legacy agents included in theirs');
      for (const s of sessions) {
        const loupe = pick(store.sessionUsage(s.sessionId));
        const generator = fromGenerator(s.expected.usage);
        // Against the generator first: when this fails, the message shows which side moved.
        assert.deepEqual(loupe, generator, `session ${s.sessionId}: Loupe vs the generator's own totals`);
        assert.deepEqual(loupe, cc.get(s.sessionId), `session ${s.sessionId}: Loupe vs ccusage`);
      }
    } finally {
      store.close();
    }
  });
});

test("on the real corpus, Loupe's per-session totals match ccusage's", async (t) => {
  const corpus = join(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'claude-code');
  if (!existsSync(corpus)) {
    t.skip(`${corpus} is absent: this check needs ../shared/corpus`);
    return;
  }
  await withDirs(async (root, home) => {
    // ccusage keys a row by the file's name, so each transcript goes where Claude Code would put
    // it: <projects>/<project>/<sessionId>.jsonl. Loupe reads the corpus as it is.
    const expected: string[] = [];
    for (const repo of readdirSync(corpus)) {
      const file = join(corpus, repo, 'claude-session.jsonl');
      if (!existsSync(file)) continue;
      const id = /"sessionId":"([^"]+)"/.exec(readFileSync(file, 'utf8').slice(0, 200_000))?.[1];
      assert.ok(id, `${repo}: a sessionId in its head`);
      mkdirSync(join(root, 'projects', repo), { recursive: true });
      copyFileSync(file, join(root, 'projects', repo, `${id}.jsonl`));
      expected.push(id);
    }
    const cc = new Map(runCcusage(root, home).map((r) => [r.period, pick(r)]));
    const store = await openStore(':memory:');
    try {
      await ingestPaths(store, [corpus]);
      assert.deepEqual(store.listSessions().map((s) => s.id).sort(), [...expected].sort());
      for (const id of expected) assert.deepEqual(pick(store.sessionUsage(id)), cc.get(id) ?? pick({ inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0 }), id);
    } finally {
      store.close();
    }
  });
});
