import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths } from '../../../src/core/ingest';
import { openStore, type Store } from '../../../src/core/store/store';
import {
  assistant,
  jsonl,
  PROJECT,
  prompt,
  record,
  SESSION,
  tempDir,
  text,
  toolResult,
  toolUse,
  writeFile,
} from '../helpers';

async function fresh(): Promise<{ dir: string; store: Store; file: string }> {
  const dir = tempDir();
  const store = await openStore(join(dir, 'loupe.db'));
  return { dir, store, file: join(dir, 'projects', PROJECT, `${SESSION}.jsonl`) };
}

/** A two-turn session: a read, a failing then passing test run. */
function basicSession(): string[] {
  return [
    prompt({ uuid: 'u1' }, 'Add a coupon field to checkout'),
    assistant({ uuid: 'a1', parent: 'u1', messageId: 'msg_1', usage: { input: 5, output: 40, cacheCreation: 2000, cacheRead: 10000 } }, text('Let me read the checkout module.')),
    assistant({ uuid: 'a2', parent: 'a1', messageId: 'msg_1', usage: { input: 5, output: 40, cacheCreation: 2000, cacheRead: 10000 } }, toolUse('toolu_1', 'Read', { file_path: '/home/ana/shop-api/src/checkout.ts' })),
    toolResult({ uuid: 'u2', parent: 'a2' }, 'toolu_1', '     1\texport function total() {}', {
      toolUseResult: { type: 'text', file: { filePath: '/home/ana/shop-api/src/checkout.ts', content: 'export function total() {}', numLines: 1, startLine: 1, totalLines: 1 } },
    }),
    assistant({ uuid: 'a3', parent: 'u2', messageId: 'msg_2', usage: { input: 2, output: 10, cacheCreation: 50, cacheRead: 12000 } }, text('The module exports total().')),
    prompt({ uuid: 'u3', parent: 'a3' }, 'Now run the tests'),
    assistant({ uuid: 'a4', parent: 'u3', messageId: 'msg_3' }, toolUse('toolu_2', 'Bash', { command: 'npm test' })),
    toolResult({ uuid: 'u4', parent: 'a4' }, 'toolu_2', 'FAIL src/checkout.test.ts\nExit code 1', { toolUseResult: 'Error: FAIL src/checkout.test.ts' }, true),
    assistant({ uuid: 'a5', parent: 'u4', messageId: 'msg_4' }, text('One test fails.')),
  ];
}

test('ingest stores every event, pairs tool results with their calls and segments turns', async () => {
  const { dir, store, file } = await fresh();
  const lines = basicSession();
  writeFile(file, jsonl(lines));
  const report = await ingestPaths(store, [dir]);
  assert.deepEqual(report.sessions, [SESSION]);
  assert.deepEqual(report.issues, []);
  const events = store.events(SESSION);
  assert.deepEqual(
    events.map((e) => `${e.turn}:${e.kind}`),
    ['1:user_prompt', '1:assistant_text', '1:tool_call', '1:tool_result', '1:assistant_text', '2:user_prompt', '2:tool_call', '2:tool_result', '2:assistant_text'],
  );
  const read = events.find((e) => e.kind === 'tool_result' && e.toolName === 'Read')!;
  assert.equal(read.parentId, events[2]!.id);
  assert.deepEqual(read.paths, ['/home/ana/shop-api/src/checkout.ts']);
  const bash = events[7]!;
  assert.equal(bash.toolName, 'Bash');
  assert.equal(bash.isError, true);
  assert.equal(bash.sourceRef.line, 8);
  assert.equal(readFileSync(file).subarray(bash.sourceRef.offset, bash.sourceRef.offset + bash.sourceRef.length).toString(), lines[7]);
  const turns = store.turns(SESSION);
  assert.deepEqual(turns.map((t) => [t.index, t.prompt]), [[1, 'Add a coupon field to checkout'], [2, 'Now run the tests']]);
  const session = store.getSession(SESSION)!;
  assert.equal(session.cwd, '/home/ana/shop-api');
  assert.equal(session.bytesIngested, statSync(file).size);
});

test('usage of a message written as several lines is counted once', async () => {
  const { dir, store, file } = await fresh();
  writeFile(file, jsonl(basicSession()));
  await ingestPaths(store, [dir]);
  // msg_1 appears on two lines with the same usage; msg_3 and msg_4 use the helper's defaults.
  assert.deepEqual(store.sessionUsage(SESSION), {
    inputTokens: 5 + 2 + 3 + 3,
    outputTokens: 40 + 10 + 20 + 20,
    cacheCreationTokens: 2000 + 50 + 100 + 100,
    cacheReadTokens: 10000 + 12000 + 1000 + 1000,
  });
});

test('re-ingesting reads only the appended bytes, and an unchanged file changes nothing', async () => {
  const { dir, store, file } = await fresh();
  const lines = basicSession();
  writeFile(file, jsonl(lines.slice(0, 5)));
  await ingestPaths(store, [dir]);
  const before = store.events(SESSION);
  const appended = jsonl(lines.slice(5));
  appendFileSync(file, appended);
  const second = await ingestPaths(store, [dir]);
  assert.equal(second.bytesRead, Buffer.byteLength(appended));
  assert.equal(second.events, 4);
  const after = store.events(SESSION);
  assert.deepEqual(after.slice(0, before.length), before);
  assert.equal(after.length, 9);
  assert.equal(store.turns(SESSION).length, 2);

  const dbBytes = readFileSync(join(dir, 'loupe.db'));
  const third = await ingestPaths(store, [dir]);
  assert.equal(third.bytesRead, 0);
  assert.equal(third.filesUnchanged, 1);
  assert.deepEqual(store.events(SESSION), after);
  assert.deepEqual(readFileSync(join(dir, 'loupe.db')), dbBytes);
});

test('a half-written last line waits for the next ingest', async () => {
  const { dir, store, file } = await fresh();
  const lines = basicSession();
  const last = lines[4]!;
  writeFile(file, jsonl(lines.slice(0, 4)) + last.slice(0, 40));
  const first = await ingestPaths(store, [dir]);
  assert.deepEqual(first.issues, []);
  assert.equal(store.events(SESSION).length, 4);
  appendFileSync(file, last.slice(40) + '\n');
  await ingestPaths(store, [dir]);
  const events = store.events(SESSION);
  assert.equal(events.length, 5);
  assert.equal(events[4]!.text, 'The module exports total().');
  assert.equal(events[4]!.sourceRef.line, 5);
});

test('a finished last line without its newline is taken, and a later newline does not shift line numbers', async () => {
  const { dir, store, file } = await fresh();
  const lines = basicSession();
  writeFile(file, jsonl(lines.slice(0, 4)) + lines[4]);
  await ingestPaths(store, [dir]);
  assert.equal(store.events(SESSION).length, 5);
  appendFileSync(file, '\n' + jsonl(lines.slice(5)));
  await ingestPaths(store, [dir]);
  const events = store.events(SESSION);
  assert.equal(events.length, 9);
  assert.equal(events[5]!.sourceRef.line, 6);
});

test('a corrupt line is skipped and reported with file and line; the rest is ingested', async () => {
  const { dir, store, file } = await fresh();
  const lines = basicSession();
  writeFile(file, jsonl([...lines.slice(0, 3), '{"type":"user", "message": {', ...lines.slice(3)]));
  const report = await ingestPaths(store, [dir]);
  assert.equal(report.issues.length, 1);
  assert.equal(report.issues[0]!.file, file);
  assert.equal(report.issues[0]!.line, 4);
  assert.match(report.issues[0]!.message, /JSON/);
  assert.equal(store.events(SESSION).length, 9);
  assert.deepEqual(store.issues(file).map((i) => i.line), [4]);
});

test('a file that shrank or changed its head is re-ingested whole, without duplicates', async () => {
  const { dir, store, file } = await fresh();
  const lines = basicSession();
  writeFile(file, jsonl(lines));
  await ingestPaths(store, [dir]);
  truncateSync(file, Buffer.byteLength(jsonl(lines.slice(0, 3))));
  const shrunk = await ingestPaths(store, [dir]);
  assert.equal(shrunk.filesRestarted, 1);
  assert.equal(store.events(SESSION).length, 3);

  // Same size as before, different head: a replaced file.
  const replaced = jsonl(lines.slice(0, 3)).replace('Add a coupon field', 'Add a voucher field');
  writeFileSync(file, replaced);
  const rewritten = await ingestPaths(store, [dir]);
  assert.equal(rewritten.filesRestarted, 1);
  const events = store.events(SESSION);
  assert.equal(events.length, 3);
  assert.equal(events[0]!.text, 'Add a voucher field to checkout');
  assert.equal(store.sessionUsage(SESSION).outputTokens, 40);
});

test('a rewind fork keeps both branches; the main line is the chain to the newest leaf', async () => {
  const { dir, store, file } = await fresh();
  writeFile(
    file,
    jsonl([
      prompt({ uuid: 'u1' }, 'Make the cart faster'),
      assistant({ uuid: 'a1', parent: 'u1', messageId: 'm1' }, text('I will cache prices.')),
      prompt({ uuid: 'u2', parent: 'a1' }, 'Use Redis for it'),
      assistant({ uuid: 'a2', parent: 'u2', messageId: 'm2' }, text('Adding a Redis client.')),
    ]),
  );
  await ingestPaths(store, [dir]);
  assert.equal(store.turns(SESSION).length, 2);
  // The user rewinds to a1 and asks something else: a second child of a1.
  appendFileSync(
    file,
    jsonl([
      prompt({ uuid: 'u3', parent: 'a1' }, 'No, use an in-memory LRU instead'),
      assistant({ uuid: 'a3', parent: 'u3', messageId: 'm3' }, text('Adding an LRU cache.')),
    ]),
  );
  await ingestPaths(store, [dir]);
  const events = store.events(SESSION);
  assert.deepEqual(
    events.map((e) => [e.text.slice(0, 12), e.mainLine, e.turn]),
    [
      ['Make the car', true, 1],
      ['I will cache', true, 1],
      ['Use Redis fo', false, 1],
      ['Adding a Red', false, 1],
      ['No, use an i', true, 2],
      ['Adding an LR', true, 2],
    ],
  );
  assert.deepEqual(store.turns(SESSION).map((t) => t.prompt), ['Make the cart faster', 'No, use an in-memory LRU instead']);
});

test('a compaction boundary and its summary are events of their own, and the main line crosses the cut', async () => {
  const { dir, store, file } = await fresh();
  writeFile(
    file,
    jsonl([
      prompt({ uuid: 'u1' }, 'Refactor the cart'),
      assistant({ uuid: 'a1', parent: 'u1', messageId: 'm1' }, text('Done.')),
      record('system', { subtype: 'compact_boundary', content: 'Conversation compacted', logicalParentUuid: 'a1', level: 'info', compactMetadata: { trigger: 'auto', preTokens: 158204 } }, { uuid: 's1', parent: null }),
      record('user', { isCompactSummary: true, message: { role: 'user', content: 'This session is being continued from a previous conversation...' } }, { uuid: 'u2', parent: 's1' }),
      prompt({ uuid: 'u3', parent: 'u2' }, 'Now add tests'),
      // A rewind after the cut: a second prompt under the summary; the chain to u5 crosses the cut.
      prompt({ uuid: 'u4', parent: 'u2' }, 'An abandoned branch'),
      prompt({ uuid: 'u5', parent: 'u3' }, 'And docs'),
    ]),
  );
  await ingestPaths(store, [dir]);
  const events = store.events(SESSION);
  assert.deepEqual(
    events.map((e) => [e.kind, e.mainLine]),
    [
      ['user_prompt', true],
      ['assistant_text', true],
      ['system', true],
      ['compact_summary', true],
      ['user_prompt', true],
      ['user_prompt', false],
      ['user_prompt', true],
    ],
  );
  assert.equal(events[2]!.meta.subtype, 'compact_boundary');
  assert.deepEqual(store.turns(SESSION).map((t) => t.prompt), ['Refactor the cart', 'Now add tests', 'And docs']);
});

test('subagent sidechains hang under the Task call that spawned them, in both layouts', async () => {
  const { dir, store, file } = await fresh();
  writeFile(
    file,
    jsonl([
      prompt({ uuid: 'u1' }, 'Find dead code'),
      assistant({ uuid: 'a1', parent: 'u1', messageId: 'm1' }, toolUse('toolu_task1', 'Task', { subagent_type: 'Explore', description: 'scan src', prompt: 'List unused exports' })),
      toolResult({ uuid: 'u2', parent: 'a1' }, 'toolu_task1', 'Found 3 unused exports', { toolUseResult: { status: 'completed', agentId: 'a11', totalTokens: 900, totalToolUseCount: 2, totalDurationMs: 1200 } }),
      prompt({ uuid: 'u3', parent: 'u2' }, 'And in tests?'),
      assistant({ uuid: 'a2', parent: 'u3', messageId: 'm2' }, toolUse('toolu_task2', 'Task', { subagent_type: 'Explore', description: 'scan tests', prompt: 'List unused helpers' })),
      toolResult({ uuid: 'u4', parent: 'a2' }, 'toolu_task2', 'None', { toolUseResult: { status: 'completed', agentId: 'b22', totalTokens: 300, totalToolUseCount: 1, totalDurationMs: 800 } }),
    ]),
  );
  const side = (agentId: string, n: string) => [
    prompt({ uuid: `${n}-1`, sidechain: true, agentId }, 'List unused exports'),
    assistant({ uuid: `${n}-2`, parent: `${n}-1`, sidechain: true, agentId, messageId: `m-${n}`, usage: { input: 7, output: 70, cacheCreation: 0, cacheRead: 500 } }, text('Three.')),
  ];
  // New layout, linked by the sidecar's toolUseId.
  writeFile(join(dir, 'projects', PROJECT, SESSION, 'subagents', 'agent-a11.jsonl'), jsonl(side('a11', 'x')));
  writeFile(join(dir, 'projects', PROJECT, SESSION, 'subagents', 'agent-a11.meta.json'), JSON.stringify({ agentType: 'Explore', description: 'scan src', toolUseId: 'toolu_task1' }));
  // Legacy layout, linked by the agent id in the Task result.
  writeFile(join(dir, 'projects', PROJECT, 'agent-b22.jsonl'), jsonl(side('b22', 'y')));
  await ingestPaths(store, [dir]);

  assert.deepEqual(store.listSessions().map((s) => s.id), [SESSION]);
  const events = store.events(SESSION);
  const task1 = events.find((e) => e.toolUseId === 'toolu_task1' && e.kind === 'tool_call')!;
  const task2 = events.find((e) => e.toolUseId === 'toolu_task2' && e.kind === 'tool_call')!;
  const sideA = events.filter((e) => e.agentId === 'a11');
  const sideB = events.filter((e) => e.agentId === 'b22');
  assert.equal(sideA.length, 2);
  assert.equal(sideB.length, 2);
  assert.ok(sideA.every((e) => e.sidechain && e.parentId === task1.id && e.turn === 1));
  assert.ok(sideB.every((e) => e.sidechain && e.parentId === task2.id && e.turn === 2));
  // A subagent's prompt does not start a turn of the session.
  assert.equal(store.turns(SESSION).length, 2);
  assert.equal(store.sessionUsage(SESSION).outputTokens, 20 + 20 + 70 + 70);
});

test('invalid UTF-8, an empty file and a 50 MB tool output are handled', async () => {
  const { dir, store, file } = await fresh();
  const big = 'x'.repeat(50 * 1024 * 1024);
  const lines = [
    prompt({ uuid: 'u1' }, 'cat the log'),
    assistant({ uuid: 'a1', parent: 'u1', messageId: 'm1' }, toolUse('toolu_1', 'Bash', { command: 'cat big.log' })),
    toolResult({ uuid: 'u2', parent: 'a1' }, 'toolu_1', big + '\nEND'),
  ];
  const bad = Buffer.from(prompt({ uuid: 'u3', parent: 'u2' }, 'caf\u00e9 MARK'));
  const at = bad.indexOf('MARK');
  bad[at] = 0xff; // an invalid byte inside the JSON string
  writeFile(file, Buffer.concat([Buffer.from(jsonl(lines)), bad, Buffer.from('\n')]));
  writeFile(join(dir, 'projects', PROJECT, '0c1d2e3f-0000-4000-8000-000000000000.jsonl'), '');
  const report = await ingestPaths(store, [dir]);
  assert.deepEqual(report.issues, []);
  const events = store.events(SESSION);
  assert.equal(events.length, 4);
  const output = events[2]!;
  assert.equal(output.textLength, big.length + 4);
  assert.ok(output.text.length < 1500, `stored ${output.text.length} chars`);
  assert.ok(output.text.endsWith('END'));
  assert.ok(output.tokens > 1_000_000);
  assert.equal(events[3]!.text, 'caf\u00e9 \ufffdARK');
  assert.equal(events[3]!.meta.invalidUtf8, true);
  // The database holds what recall needs, not the 50 MB.
  assert.ok(statSync(join(dir, 'loupe.db')).size < 1024 * 1024);
});

test('a folder of 10,000 session files is ingested', async () => {
  const { dir, store } = await fresh();
  for (let i = 0; i < 10_000; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    writeFile(join(dir, 'projects', PROJECT, `${id}.jsonl`), prompt({ uuid: `u${i}`, sessionId: id }, `task ${i}`) + '\n');
  }
  const report = await ingestPaths(store, [dir]);
  assert.equal(report.sessions.length, 10_000);
  assert.equal(store.listSessions().length, 10_000);
});

test('the parse worker thread and the inline path store the same events', async () => {
  const worker = join(__dirname, '..', '..', '..', '..', 'dist', 'parse-worker.js');
  assert.ok(statSync(worker).isFile(), `${worker} is built by node esbuild.mjs --tests`);
  const sample = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'sample');
  const stores = await Promise.all(
    [null, worker].map(async (workerScript) => {
      const store = await openStore(join(tempDir(), 'loupe.db'));
      const report = await ingestPaths(store, [sample], { workerScript, batchBytes: 256 * 1024 });
      assert.equal(report.threaded, workerScript !== null);
      return store;
    }),
  );
  const [inline, threaded] = stores.map((store) =>
    store.listSessions().map((s) => ({ session: s, events: store.events(s.id).map(({ id: _id, ...rest }) => rest) })),
  );
  assert.ok(inline!.length >= 2 && inline![0]!.events.length > 1000);
  assert.deepEqual(threaded, inline);
});

test('a write that fails half-way through an ingest batch leaves the database as it was', async () => {
  const { dir, store, file } = await fresh();
  writeFile(file, jsonl(basicSession()));
  await ingestPaths(store, [dir]);
  const before = store.events(SESSION);
  await assert.rejects(
    store.writeAsync(async (db) => {
      db.run("UPDATE events SET text = 'changed'");
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.deepEqual(store.events(SESSION), before);
  const reopened = await openStore(join(dir, 'loupe.db'));
  assert.deepEqual(reopened.events(SESSION), before);
});

test('a record without a parent (a new root) leaves the rest on the main line, read whole or appended', async () => {
  const { dir, store, file } = await fresh();
  const lines = basicSession();
  const orphan = prompt({ uuid: 'orphan', parent: null }, 'Continue where we stopped');
  writeFile(file, jsonl([...lines, orphan]));
  await ingestPaths(store, [dir]);
  assert.ok(store.events(SESSION).every((e) => e.mainLine));
  assert.equal(store.turns(SESSION).length, 3);
});
