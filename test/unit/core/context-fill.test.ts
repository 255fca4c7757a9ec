// The context fill: never zeroed by a `<synthetic>` message.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths } from '../../../src/core/ingest';
import { sessionStats, type SessionStats } from '../../../src/core/stats';
import { openStore, type Store } from '../../../src/core/store/store';
import { jsonl, PROJECT, prompt, record, SESSION, tempDir, text, toolResult, toolUse, writeFile, type UsageIn } from '../helpers';

type Block = Record<string, unknown>;

/** An assistant line with `usage` (or none), written as Claude Code writes one content block a line. */
function assistantLine(uuid: string, parent: string, messageId: string, block: Block, usage: UsageIn | null, model = 'claude-opus-4-7'): string {
  return record(
    'assistant',
    {
      requestId: `req_${messageId}`,
      message: {
        id: messageId,
        type: 'message',
        role: 'assistant',
        model,
        content: [block],
        stop_reason: block.type === 'tool_use' ? 'tool_use' : 'end_turn',
        stop_sequence: null,
        ...(usage
          ? {
              usage: {
                input_tokens: usage.input ?? 0,
                cache_creation_input_tokens: usage.cacheCreation ?? 0,
                cache_read_input_tokens: usage.cacheRead ?? 0,
                output_tokens: usage.output ?? 0,
              },
            }
          : {}),
      },
    },
    { uuid, parent },
  );
}

/** What Claude Code writes after an interrupt or an API error: no call was made, all counts zero. */
function syntheticLine(uuid: string, parent: string, messageId: string, say: string): string {
  return assistantLine(uuid, parent, messageId, text(say), { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 }, '<synthetic>');
}

/** A source file's text of about `lines` lines, different for each `seed`. */
function code(seed: number, lines: number): string {
  return Array.from({ length: lines }, (_, i) => `export const value${seed}_${i} = compute(${seed * 31 + i}, "step ${i}");`).join('\n');
}

async function ingested(lines: string[]): Promise<{ store: Store; stats: SessionStats }> {
  const dir = tempDir();
  writeFile(join(dir, 'projects', PROJECT, `${SESSION}.jsonl`), jsonl(lines));
  const store = await openStore(join(dir, 'loupe.db'));
  await ingestPaths(store, [dir]);
  return { store, stats: sessionStats(store, SESSION) };
}

/** Two calls with real usage, then whatever `tail` adds. */
function interruptedSession(tail: (parent: string) => string[]): string[] {
  return [
    prompt({ uuid: 'u1' }, 'Add a coupon field to checkout'),
    assistantLine('a1', 'u1', 'msg_1', toolUse('toolu_1', 'Read', { file_path: '/home/ana/shop-api/src/checkout.ts' }), { input: 3, cacheCreation: 38_000, cacheRead: 2_000, output: 60 }),
    toolResult({ uuid: 'u2', parent: 'a1' }, 'toolu_1', code(1, 40)),
    assistantLine('a2', 'u2', 'msg_2', text('The module exports total().'), { input: 3, cacheCreation: 1_200, cacheRead: 50_800, output: 30 }),
    ...tail('a2'),
  ];
}

test('a <synthetic> message after an interrupt is no usage point: the last real fill stays the last', async () => {
  const { store, stats } = await ingested(
    interruptedSession((parent) => [
      prompt({ uuid: 'u3', parent }, 'Now run the tests'),
      syntheticLine('a3', 'u3', 'msg_synthetic', 'No response requested.'),
    ]),
  );
  assert.deepEqual(
    stats.contextReal.map((p) => p.tokens),
    [40_003, 52_003],
  );
  // Not stored at all, so the session's totals are the two real calls' (as ccusage counts them).
  assert.equal(store.db.exec("SELECT COUNT(*) FROM usage WHERE message_id = 'msg_synthetic'")[0]!.values[0]![0], 0);
  assert.deepEqual(stats.usage, { inputTokens: 6, outputTokens: 90, cacheCreationTokens: 39_200, cacheReadTokens: 52_800 });

  // A database written before zero usage was left out still has the row: it is no point either.
  const synthetic = store.events(SESSION).find((e) => e.model === '<synthetic>')!;
  store.db.run(
    `INSERT INTO usage (session, message_id, request_id, event_id, ts, model, sidechain) VALUES (?, 'msg_synthetic', 'req_x', ?, '', '<synthetic>', 0)`,
    [store.key(SESSION), synthetic.id],
  );
  const again = sessionStats(store, SESSION);
  assert.deepEqual(again.contextReal, stats.contextReal);
});

test('a zero-usage reply of a real model is no usage point either', async () => {
  const { stats } = await ingested(
    interruptedSession((parent) => [assistantLine('a3', parent, 'msg_error', text('API Error: 529 overloaded'), { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 })]),
  );
  assert.deepEqual(
    stats.contextReal.map((p) => p.tokens),
    [40_003, 52_003],
  );
});
