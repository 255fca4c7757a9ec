// The shapes real Claude Code sessions take (seen in ../shared/corpus/claude-code), each pinned by a
// small written fixture so the rules hold where the corpus is absent. test/unit/transcript/
// claude-corpus.test.ts checks the same rules on the real sessions.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths } from '../../../src/core/ingest';
import { openStore, type Store } from '../../../src/core/store/store';
import { assistant, jsonl, prompt, SESSION, tempDir, text } from '../helpers';

const OTHER = '9c0ffee0-1111-4222-8333-444455556666';

async function storeIn(dir: string): Promise<Store> {
  return openStore(join(dir, 'loupe.db'));
}

test('a session is the sessionId its records name, not its file name: two repos, two claude-session.jsonl', async () => {
  const dir = tempDir();
  for (const [repo, sid, ask] of [
    ['repo-a', SESSION, 'Fix the login form'],
    ['repo-b', OTHER, 'Add a dark theme'],
  ] as const) {
    mkdirSync(join(dir, repo));
    writeFileSync(
      join(dir, repo, 'claude-session.jsonl'),
      jsonl([
        prompt({ uuid: `${repo}-u1`, sessionId: sid }, ask),
        assistant({ uuid: `${repo}-a1`, parent: `${repo}-u1`, sessionId: sid, messageId: `${repo}-m1` }, text('On it.')),
      ]),
    );
  }
  const store = await storeIn(dir);
  const report = await ingestPaths(store, [dir]);
  assert.deepEqual([...report.sessions].sort(), [OTHER, SESSION].sort());
  assert.deepEqual(
    store.listSessions().map((s) => s.id).sort(),
    [OTHER, SESSION].sort(),
    'no session is named after the file',
  );
  assert.equal(store.turns(SESSION)[0]?.prompt, 'Fix the login form');
  assert.equal(store.turns(OTHER)[0]?.prompt, 'Add a dark theme');
  assert.equal(store.getSession(OTHER)?.file, join(dir, 'repo-b', 'claude-session.jsonl'));
  // Re-ingesting an unchanged folder reads nothing again.
  const again = await ingestPaths(store, [dir]);
  assert.equal(again.events, 0);
  assert.equal(again.filesUnchanged, 2);
});

test('a file holding lines of two sessions files each line under its own session, appended or whole', async () => {
  const dir = tempDir();
  const file = join(dir, `${SESSION}.jsonl`);
  const lines = [
    prompt({ uuid: 'u1' }, 'First session asks'),
    assistant({ uuid: 'a1', parent: 'u1', messageId: 'm1' }, text('First answers')),
    prompt({ uuid: 'v1', sessionId: OTHER }, 'Second session asks'),
    assistant({ uuid: 'b1', parent: 'v1', sessionId: OTHER, messageId: 'm2' }, text('Second answers')),
  ];
  writeFileSync(file, jsonl(lines.slice(0, 3)));
  const store = await storeIn(dir);
  await ingestPaths(store, [dir]);
  writeFileSync(file, jsonl(lines));
  await ingestPaths(store, [dir]);
  for (const [sid, expected] of [
    [SESSION, ['First session asks', 'First answers']],
    [OTHER, ['Second session asks', 'Second answers']],
  ] as const) {
    assert.deepEqual(store.events(sid).map((e) => e.text), expected, sid);
    assert.equal(store.turns(sid).length, 1);
  }
});
