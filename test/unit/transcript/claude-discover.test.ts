import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { claudeProjectRoots, discoverClaudeFiles } from '../../../src/core/transcript/claude/discover';
import { fixturePath, makeTempDir, removeTempDirs } from './claude-helpers';

const SID = '7d1c0a52-3b7e-4f0e-9a11-2c5be0f4d9aa';
const SID2 = '0b8e4f1d-92c6-4a57-b3e0-6d1f2a9c8e47';

const tempDir = makeTempDir;
after(removeTempDirs);

/** The fixture layout copied to a fresh folder: `<tmp>/projects/-home-ana-shop-api/…`. */
function copyLayout(): { root: string; projects: string; project: string } {
  const root = tempDir();
  cpSync(fixturePath('layout'), root, { recursive: true });
  const projects = join(root, 'projects');
  return { root, projects, project: join(projects, '-home-ana-shop-api') };
}

describe('discoverClaudeFiles', () => {
  test('finds main sessions and subagents in every layout, sorted, skipping journals and other files', () => {
    const { projects, project } = copyLayout();
    const { files, issues } = discoverClaudeFiles([projects]);
    assert.deepEqual(issues, []);
    assert.deepEqual(files, [
      { path: join(project, `${SID2}.jsonl`), sessionId: SID2, kind: 'main' },
      { path: join(project, `${SID}.jsonl`), sessionId: SID, kind: 'main' },
      {
        path: join(project, SID, 'subagents', 'agent-a4f09c1e2b7d5a368.jsonl'),
        sessionId: SID,
        kind: 'subagent',
        agentId: 'a4f09c1e2b7d5a368',
        toolUseId: 'toolu_01Task9',
        agentType: 'Explore',
        description: 'Find coupon validation rules',
      },
      {
        path: join(project, SID, 'subagents', 'workflows', 'wf_01HZX3K9', 'agent-c77e01.jsonl'),
        sessionId: SID,
        kind: 'subagent',
        agentId: 'c77e01',
      },
      { path: join(project, 'agent-5e2d9c71.jsonl'), sessionId: SID2, kind: 'subagent', agentId: '5e2d9c71' },
    ]);
  });

  test('a project folder, a single file and overlapping roots give each file once', () => {
    const { projects, project } = copyLayout();
    const sidecarAgent = join(project, SID, 'subagents', 'agent-a4f09c1e2b7d5a368.jsonl');
    const { files } = discoverClaudeFiles([project, projects, join(project, `${SID}.jsonl`), sidecarAgent]);
    assert.equal(files.length, 5);
    const agent = files.find((f) => f.path === sidecarAgent);
    assert.equal(agent?.toolUseId, 'toolu_01Task9', 'a file named directly still gets its sidecar');
  });

  test('missing paths and broken sidecars are issues, a non-jsonl file named directly is skipped; none throws', () => {
    const { root, project } = copyLayout();
    writeFileSync(join(project, SID, 'subagents', 'agent-a4f09c1e2b7d5a368.meta.json'), '{"agentType": ');
    const missing = join(root, 'nope');
    const notJsonl = join(project, 'sessions-index.json');
    const { files, issues, skipped } = discoverClaudeFiles([missing, notJsonl, project]);
    assert.deepEqual(skipped.map((s) => s.file), [notJsonl]);
    assert.equal(files.length, 5);
    const agent = files.find((f) => f.agentId === 'a4f09c1e2b7d5a368');
    assert.equal(agent?.kind, 'subagent');
    assert.equal(agent?.toolUseId, undefined);
    assert.deepEqual(
      issues.map((i) => [i.file, i.line]),
      [
        [missing, 0],
        [join(project, SID, 'subagents', 'agent-a4f09c1e2b7d5a368.meta.json'), 0],
      ],
    );
  });

  test('a legacy agent file without a session id is reported and never becomes a session', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'agent-0000.jsonl'), '{"type":"user","message":{"role":"user","content":"hi"}}\n');
    writeFileSync(join(dir, 'agent-empty.jsonl'), '');
    const { files, issues } = discoverClaudeFiles([dir]);
    assert.deepEqual(files, []);
    assert.equal(issues.length, 1);
    assert.match(issues[0]?.message ?? '', /no sessionId/);
  });

  test('a folder named subagents above the projects root does not make sessions into subagents', () => {
    const dir = join(tempDir(), 'subagents', 'projects', '-x');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${SID}.jsonl`), '');
    const { files } = discoverClaudeFiles([dir]);
    assert.deepEqual(files, [{ path: join(dir, `${SID}.jsonl`), sessionId: SID, kind: 'main' }]);
  });

  test('10,000 files: every main session found, no subagent taken for one', () => {
    const projects = join(tempDir(), 'projects');
    const PROJECTS = 100;
    for (let p = 0; p < PROJECTS; p++) {
      const project = join(projects, `-home-dev-repo-${p}`);
      const parent = `00000000-0000-4000-8000-${String(p).padStart(12, '0')}`;
      const subagents = join(project, parent, 'subagents');
      mkdirSync(subagents, { recursive: true });
      // Main files named by a session id are never opened, so they can be empty here.
      for (let s = 0; s < 95; s++) writeFileSync(join(project, `00000000-0000-4000-9000-${String(p * 100 + s).padStart(12, '0')}.jsonl`), '');
      for (let a = 0; a < 3; a++) {
        writeFileSync(join(subagents, `agent-${p}x${a}.jsonl`), '');
        writeFileSync(join(subagents, `agent-${p}x${a}.meta.json`), JSON.stringify({ agentType: 'Explore', toolUseId: `toolu_${p}_${a}` }));
      }
      for (let a = 0; a < 2; a++) {
        writeFileSync(join(project, `agent-legacy${p}x${a}.jsonl`), `{"parentUuid":null,"isSidechain":true,"sessionId":"${parent}","type":"user"}\n`);
      }
    }
    const { files, issues } = discoverClaudeFiles([projects]);
    assert.deepEqual(issues, []);
    assert.equal(files.length, 10_000);
    const mains = files.filter((f) => f.kind === 'main');
    const subs = files.filter((f) => f.kind === 'subagent');
    assert.equal(mains.length, 9_500);
    assert.equal(subs.length, 500);
    assert.ok(mains.every((f) => !f.sessionId.startsWith('agent-')));
    assert.ok(subs.every((f) => f.sessionId.startsWith('00000000-')));
    assert.equal(subs.filter((f) => f.toolUseId !== undefined).length, 300);
    const paths = files.map((f) => f.path);
    assert.deepEqual(paths, [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});

describe('discoverClaudeFiles: files not named by their session', () => {
  const line = (sessionId: string, extra = '') =>
    `{"type":"user","uuid":"u1","parentUuid":null,"sessionId":"${sessionId}",${extra}"message":{"role":"user","content":"hi"}}\n`;

  test('a transcript committed as claude-session.jsonl is the session its records name', () => {
    const dir = tempDir();
    for (const [repo, sid] of [['repo-a', SID], ['repo-b', SID2]] as const) {
      mkdirSync(join(dir, repo));
      // A summary line without a session id may come first (the legacy layout).
      writeFileSync(join(dir, repo, 'claude-session.jsonl'), `{"type":"summary","summary":"x","leafUuid":"u9"}\n${line(sid)}`);
    }
    const { files, skipped } = discoverClaudeFiles([dir]);
    assert.deepEqual(skipped, []);
    assert.deepEqual(
      files.map((f) => [f.path, f.sessionId, f.kind]),
      [
        [join(dir, 'repo-a', 'claude-session.jsonl'), SID, 'main'],
        [join(dir, 'repo-b', 'claude-session.jsonl'), SID2, 'main'],
      ],
    );
  });

  test('a first line longer than the head still names its session', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'long.jsonl'), line(SID, `"pad":"${'x'.repeat(40_000)}",`));
    assert.deepEqual(discoverClaudeFiles([dir]).files.map((f) => f.sessionId), [SID]);
  });

  test("other agents' JSONL is skipped with what it looks like; .json and .md transcripts are listed, Claude's own files are not", () => {
    const dir = tempDir();
    const codexMeta = `{"timestamp":"2026-07-11T17:18:23.720Z","type":"session_meta","payload":{"id":"019f","instructions":"${'y'.repeat(30_000)}"}}\n`;
    writeFileSync(join(dir, 'rollout-2026-07-11-019f.jsonl'), codexMeta);
    writeFileSync(join(dir, 'session.jsonl'), '{"type":"session","version":3,"id":"scc69","timestamp":"2026-07-14T01:30:48.419Z","cwd":"/x"}\n');
    writeFileSync(join(dir, 'results.jsonl'), '{"question":"q","answer":"a"}\n');
    writeFileSync(join(dir, 'gemini_session.json'), '{"sessionId":"s","projectHash":"h","messages":[]}');
    writeFileSync(join(dir, '.aider.chat.history.md'), '# aider chat started\n');
    writeFileSync(join(dir, 'sessions-index.json'), '{"version":1,"entries":[]}');
    writeFileSync(join(dir, 'agent-abc.meta.json'), '{}');
    writeFileSync(join(dir, 'new-session.jsonl'), '');
    const { files, skipped } = discoverClaudeFiles([dir]);
    assert.deepEqual(files.map((f) => f.path), [join(dir, 'new-session.jsonl')], 'an empty file may be a session just started');
    assert.deepEqual(
      skipped.map((s) => [s.file.slice(dir.length + 1), s.reason.split(',')[0]]),
      [
        ['.aider.chat.history.md', 'a .md file: Loupe reads Claude Code JSONL transcripts only'],
        ['gemini_session.json', 'a .json file: Loupe reads Claude Code JSONL transcripts only'],
        ['results.jsonl', 'an unknown JSONL format (keys question'],
        ['rollout-2026-07-11-019f.jsonl', 'a Codex CLI rollout (session_meta)'],
        ['session.jsonl', 'a pi agent session (session header)'],
      ],
    );
  });
});

describe('claudeProjectRoots', () => {
  test('CLAUDE_CONFIG_DIR holds two comma-separated dirs: both, after the defaults that exist', () => {
    const home = tempDir();
    const a = tempDir();
    const b = tempDir();
    mkdirSync(join(home, '.claude', 'projects'), { recursive: true });
    mkdirSync(join(a, 'projects'));
    mkdirSync(join(b, 'projects'));
    const roots = claudeProjectRoots({ CLAUDE_CONFIG_DIR: `${a}, ${b}` }, home);
    assert.deepEqual(roots, [join(home, '.claude', 'projects'), join(a, 'projects'), join(b, 'projects')]);
  });

  test('only existing folders, each once; XDG_CONFIG_HOME and ~ are honoured', () => {
    const home = tempDir();
    const xdg = tempDir();
    mkdirSync(join(home, '.claude', 'projects'), { recursive: true });
    mkdirSync(join(home, '.config', 'claude', 'projects'), { recursive: true });
    mkdirSync(join(xdg, 'claude', 'projects'), { recursive: true });
    assert.deepEqual(claudeProjectRoots({}, home), [join(home, '.claude', 'projects'), join(home, '.config', 'claude', 'projects')]);
    const env = { XDG_CONFIG_HOME: xdg, CLAUDE_CONFIG_DIR: `~/.claude,${join(home, 'missing')},,${xdg}/claude` };
    assert.deepEqual(claudeProjectRoots(env, home), [join(home, '.claude', 'projects'), join(xdg, 'claude', 'projects')]);
    assert.deepEqual(claudeProjectRoots({}, tempDir()), []);
  });
});
