// The end-to-end fixture: a workspace folder, and a transcript folder holding one generated
// Claude Code session whose cwd is that workspace (the bundled sample, re-rooted).
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SAMPLE = join(root, 'test/fixtures/sample/projects/-home-mara-code-tide-ledger-v2/2dae8c1c-4fb5-4a54-b4c4-b72ca939c8eb.jsonl');
const SAMPLE_CWD = '/home/mara/code/tide_ledger.v2';
export const SESSION_ID = '2dae8c1c-4fb5-4a54-b4c4-b72ca939c8eb';
export const BUDGET = 4000;

/** A workspace, a transcript folder holding its session, and code-server's user and extension folders. */
export function makeFixture() {
  const base = mkdtempSync(join(tmpdir(), 'loupe-e2e-'));
  const ws = join(base, 'tide-ledger');
  mkdirSync(join(ws, 'src'), { recursive: true });
  writeFileSync(join(ws, 'README.md'), '# tide-ledger\n');
  const projects = join(base, 'claude', 'projects');
  const projectDir = join(projects, ws.replace(/[^a-zA-Z0-9]/g, '-'));
  mkdirSync(projectDir, { recursive: true });
  const transcript = join(projectDir, `${SESSION_ID}.jsonl`);
  // The session ran in the workspace: its cwd and the paths of its tool calls say so.
  writeFileSync(transcript, readFileSync(SAMPLE, 'utf8').split(SAMPLE_CWD).join(ws));
  const userData = join(base, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'loupe.transcriptFolders': [projects],
        'loupe.tokenBudget': BUDGET,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'window.commandCenter': true,
        'editor.hover.delay': 200,
        'editor.stickyScroll.enabled': false,
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
      },
      null,
      2,
    ),
  );
  return { base, ws, transcript, userData, extensions: join(base, 'extensions') };
}

/** Appends one user prompt (a new turn) and the assistant's answer to the transcript. */
export function appendTurn(transcript, ws, prompt) {
  const lines = readFileSync(transcript, 'utf8').trimEnd().split('\n');
  const last = JSON.parse(lines[lines.length - 1]);
  const now = Date.now();
  const user = {
    parentUuid: last.uuid,
    isSidechain: false,
    userType: 'external',
    cwd: ws,
    sessionId: SESSION_ID,
    version: last.version,
    gitBranch: last.gitBranch,
    type: 'user',
    message: { role: 'user', content: prompt },
    uuid: `e2e-user-${now}`,
    timestamp: new Date(now).toISOString(),
  };
  const assistant = {
    ...user,
    parentUuid: user.uuid,
    type: 'assistant',
    uuid: `e2e-assistant-${now}`,
    timestamp: new Date(now + 1000).toISOString(),
    requestId: `req_e2e_${now}`,
    message: {
      model: 'claude-sonnet-4-5-20250929',
      id: `msg_e2e_${now}`,
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'Done: the appended turn is here.' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 5, cache_creation_input_tokens: 100, cache_read_input_tokens: 30000, output_tokens: 12 },
    },
  };
  appendFileSync(transcript, `${JSON.stringify(user)}\n${JSON.stringify(assistant)}\n`);
}

