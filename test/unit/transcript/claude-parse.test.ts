import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ParsedEvent } from '../../../src/core/model';
import { parseClaudeLine } from '../../../src/core/transcript/claude/parse';
import { byUuid, only, parseFixture, rawLine } from './claude-helpers';

const ofType = (events: ParsedEvent[], type: string): ParsedEvent[] => events.filter((e) => e.meta.recordType === type);
const ofSubtype = (events: ParsedEvent[], subtype: string): ParsedEvent[] =>
  events.filter((e) => e.meta.subtype === subtype);
const byToolUseId = (events: ParsedEvent[], id: string, kind = 'tool_result'): ParsedEvent =>
  only(events.filter((e) => e.toolUseId === id && e.kind === kind), `${kind} ${id}`);

describe('Claude Code parser: record types', () => {
  const parsed = parseFixture('all-records.jsonl');
  const { events } = parsed;

  test('every line becomes at least one event, and none is an issue', () => {
    assert.deepEqual(parsed.issues, []);
    const linesWithEvents = new Set(events.map((e) => e.sourceRef.line));
    assert.equal(linesWithEvents.size, parsed.lines.length);
  });

  test('session facts: ids, cwd and branch from the lines; the custom title and the summary as fallback', () => {
    assert.deepEqual(parsed.facts, {
      sessionId: '7d1c0a52-3b7e-4f0e-9a11-2c5be0f4d9aa',
      cwd: '/home/ana/shop-api',
      gitBranch: 'feat/coupons',
      version: '2.1.90',
      // The ai-title comes after the custom title in the file: both are kept, the store ranks them.
      title: 'Add coupon support to checkout',
      customTitle: 'coupons v1',
      fallbackTitle: 'Coupon field in checkout',
    });
    const aiTitle = only(parsed.results.filter((r) => r.events[0]?.meta.recordType === 'ai-title'), 'ai-title');
    assert.equal(aiTitle.facts.title, 'Add coupon support to checkout');
    assert.equal(only(ofType(events, 'custom-title'), 'custom-title').meta.customTitle, true);
  });

  test('unknown record types and records without a type are kept as meta events', () => {
    const cost = only(ofType(events, 'cost-state'), 'cost-state');
    assert.equal(cost.kind, 'meta');
    assert.equal(cost.meta.unknownType, true);
    assert.equal(cost.meta.totalCostUSD, 0.4213);
    assert.equal(cost.meta.breakdown, undefined, 'nested objects are left out of meta');
    const untyped = only(ofType(events, ''), 'record without type');
    assert.equal(untyped.meta.unknownType, true);
  });

  test('user lines: prompt, isMeta caveat, image marker, interruption', () => {
    const prompt = byUuid(events, 'c2a7e0f4-1b3d-4e58-9f6a-0d1e2f3a4b5c');
    assert.equal(prompt.length, 1);
    assert.equal(prompt[0]?.kind, 'user_prompt');
    assert.equal(prompt[0]?.role, 'user');
    assert.equal(prompt[0]?.parentUuid, undefined);
    const caveat = only(byUuid(events, '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'), 'caveat');
    assert.equal(caveat.kind, 'meta');
    const withImage = only(byUuid(events, '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d'), 'prompt with image');
    assert.equal(withImage.text, 'this is what the checkout page shows now\n[image]');
    const interrupt = only(byUuid(events, '3b4c5d6e-7f8a-4b9c-0d1e-2f3a4b5c6d7e'), 'interrupt');
    assert.equal(interrupt.kind, 'user_prompt');
    assert.equal(interrupt.meta.interrupted, true);
  });

  test('system lines: subtype, scalar fields, api_error is an error', () => {
    const local = only(ofSubtype(events, 'local_command'), 'local_command');
    assert.equal(local.kind, 'system');
    assert.match(local.text, /Set model to opus/);
    const duration = only(ofSubtype(events, 'turn_duration'), 'turn_duration');
    assert.equal(duration.meta.durationMs, 48210);
    assert.equal(duration.meta.messageCount, 12);
    const hooks = only(ofSubtype(events, 'stop_hook_summary'), 'stop_hook_summary');
    assert.equal(hooks.meta.hookCount, 1);
    assert.equal(hooks.meta.preventedContinuation, false);
    assert.equal(hooks.meta.hookErrorsCount, 0);
    const apiError = only(ofSubtype(events, 'api_error'), 'api_error');
    assert.equal(apiError.isError, true);
    assert.equal(apiError.meta.error, 'Overloaded');
    assert.equal(apiError.meta.retryAttempt, 1);
  });

  test('assistant lines: thinking, text, server tools, redacted thinking, API error message', () => {
    const thinking = only(byUuid(events, 'e1f2a3b4-6c7d-4e8f-9a0b-1c2d3e4f5a6b'), 'thinking');
    assert.equal(thinking.kind, 'thinking');
    assert.equal(thinking.model, 'claude-sonnet-4-5-20250929');
    assert.deepEqual(thinking.usage, { inputTokens: 3, outputTokens: 12, cacheCreationTokens: 1840, cacheReadTokens: 20310 });
    const search = byToolUseId(events, 'srvtoolu_01Fq7yWn3Rk', 'tool_call');
    assert.equal(search.toolName, 'web_search');
    assert.match(search.text, /^web_search \{"query":/);
    const results = byToolUseId(events, 'srvtoolu_01Fq7yWn3Rk', 'tool_result');
    assert.equal(results.role, 'tool');
    assert.match(results.text, /https:\/\/docs\.stripe\.com\/api\/coupons\/object/);
    const redacted = only(byUuid(events, '9d0e1f2a-3b4c-4d5e-6f7a-8b9c0d1e2f3a'), 'redacted');
    assert.equal(redacted.kind, 'thinking');
    assert.equal(redacted.meta.redacted, true);
    const synthetic = only(byUuid(events, '6a7b8c9d-0e1f-4a2b-3c4d-5e6f7a8b9c0d'), 'api error message');
    assert.equal(synthetic.isError, true);
    assert.equal(synthetic.model, '<synthetic>');
    assert.equal(synthetic.requestId, undefined);
  });

  test('an assistant line with empty content still carries its usage', () => {
    const empty = only(byUuid(events, '0e1f2a3b-4c5d-4e6f-7a8b-9c0d1e2f3a4b'), 'empty assistant');
    assert.equal(empty.kind, 'meta');
    assert.equal(empty.usage?.outputTokens, 361);
    assert.equal(empty.messageId, 'msg_01Jx8WbN4kTq6cVr2PzH7sLe');
    assert.equal(empty.requestId, 'req_011CVa8Hn3pR5tYw9LmC2vKd');
  });

  test('bookkeeping records become meta events with a short text', () => {
    const snapshots = ofType(events, 'file-history-snapshot');
    assert.deepEqual(snapshots.map((e) => e.paths), [[], ['src/checkout.ts', 'src/coupon.ts']]);
    assert.equal(snapshots[1]?.ts, '2026-03-02T09:21:00.000Z');
    assert.deepEqual(only(ofType(events, 'file-history-delta'), 'delta').paths, ['src/checkout.ts']);
    const queue = ofType(events, 'queue-operation');
    assert.deepEqual(queue.map((e) => [e.text, e.meta.operation]), [['also update the README', 'enqueue'], ['queue dequeue', 'dequeue']]);
    assert.equal(only(ofType(events, 'attachment'), 'attachment').meta.attachmentType, 'hook_success');
    const progress = only(ofType(events, 'progress'), 'progress');
    assert.equal(progress.meta.dataType, 'agent_progress');
    assert.equal(progress.meta.agentId, 'a4f09c1e2b7d5a368');
    assert.equal(progress.meta.toolUseID, 'agent_msg_01Kp2x');
    assert.equal(progress.meta.parentToolUseID, 'toolu_01Task9');
    assert.equal(only(ofType(events, 'pr-link'), 'pr-link').text, 'https://github.com/ana/shop-api/pull/412');
    assert.equal(only(ofType(events, 'mode'), 'mode').text, 'mode: normal');
    assert.equal(only(ofType(events, 'permission-mode'), 'permission-mode').text, 'permission mode: default');
    assert.equal(only(ofType(events, 'worktree-state'), 'worktree').text, 'worktree: /home/ana/shop-api/.claude/worktrees/coupons');
    for (const e of events) if (e.kind === 'meta' && e.role === 'system') assert.ok(e.text.length < 200, e.text);
  });

  test('sourceRef points at the verbatim line', () => {
    for (const e of events) {
      const bytes = parsed.bytes.subarray(e.sourceRef.offset, e.sourceRef.offset + e.sourceRef.length);
      const record = JSON.parse(bytes.toString('utf8')) as { uuid?: string; type?: string };
      assert.equal(record.type ?? '', e.meta.recordType);
      if (e.uuid !== undefined) assert.equal(record.uuid, e.uuid);
      assert.equal(e.sourceRef.file, 'all-records.jsonl');
    }
  });
});

describe('Claude Code parser: one content block per line', () => {
  const { events } = parseFixture('split-message.jsonl');
  const message = events.filter((e) => e.messageId === 'msg_01Sp9LqWd3Rt5Yh7Kx2Nc4Vb');

  test('the lines of one message share message.id and requestId, and each repeats its usage', () => {
    assert.deepEqual(message.map((e) => e.kind), ['thinking', 'assistant_text', 'tool_call']);
    assert.ok(message.every((e) => e.requestId === 'req_011CWc4Mf8Gh2Jk6Lp9Qr3St'));
    // Stateless per line: the store dedupes on (messageId, requestId) and keeps the largest.
    assert.deepEqual(message.map((e) => e.usage?.outputTokens), [8, 8, 212]);
  });

  test('the tool call has its rendering, paths and full input', () => {
    const read = byToolUseId(events, 'toolu_01SpRead', 'tool_call');
    assert.equal(read.text, 'Read /home/ana/shop-api/src/coupon.ts');
    assert.deepEqual(read.paths, ['/home/ana/shop-api/src/coupon.ts']);
    assert.deepEqual(read.meta.input, { file_path: '/home/ana/shop-api/src/coupon.ts', offset: 1, limit: 40 });
  });
});

describe('Claude Code parser: tool results', () => {
  const { events, issues } = parseFixture('tool-results.jsonl');

  test('parses without issues', () => assert.deepEqual(issues, []));

  test('Read: file facts and the path', () => {
    const r = byToolUseId(events, 'toolu_01ReadCk');
    assert.equal(r.kind, 'tool_result');
    assert.equal(r.role, 'tool');
    assert.deepEqual(r.meta.result, { filePath: '/home/ana/shop-api/src/checkout.ts', numLines: 5, startLine: 1, totalLines: 5 });
    assert.deepEqual(r.paths, ['/home/ana/shop-api/src/checkout.ts']);
    // The pairing comes from tool_use_id; the line's back-pointer to its assistant line is not kept.
    assert.equal(r.meta.sourceToolAssistantUUID, undefined);
  });

  test('Edit, MultiEdit and Write: lines added and removed, from structuredPatch', () => {
    const edit = byToolUseId(events, 'toolu_01EditCk');
    assert.deepEqual(edit.meta.result, {
      filePath: '/home/ana/shop-api/src/checkout.ts',
      type: 'edit',
      added: 3,
      removed: 2,
      edited: ['/home/ana/shop-api/src/checkout.ts'],
    });
    assert.deepEqual(edit.paths, ['/home/ana/shop-api/src/checkout.ts']);
    const multi = byToolUseId(events, 'toolu_01MultiTs');
    assert.deepEqual([multi.meta.result], [{ filePath: '/home/ana/shop-api/test/checkout.test.ts', type: 'multiedit', added: 2, removed: 0, edited: ['/home/ana/shop-api/test/checkout.test.ts'] }]);
    const created = byToolUseId(events, 'toolu_01WriteCp');
    assert.deepEqual(created.meta.result, { filePath: '/home/ana/shop-api/src/coupon.ts', type: 'create', added: 6, removed: 0, edited: ['/home/ana/shop-api/src/coupon.ts'] });
    const updated = byToolUseId(events, 'toolu_01WriteBig');
    assert.equal((updated.meta.result as { type: string }).type, 'update');
    assert.equal((updated.meta.result as { added: number }).added, 2);
  });

  test('the big duplicated content of toolUseResult is never kept', () => {
    for (const e of events) {
      const json = JSON.stringify(e.meta.result ?? {});
      assert.ok(json.length < 400, `${e.toolUseId}: ${json}`);
      assert.doesNotMatch(json, /reduce\(\(sum/);
    }
  });

  test('Bash: output lengths, exit code from the text, interruption is an error', () => {
    const lint = byToolUseId(events, 'toolu_01BashLint');
    assert.deepEqual(lint.meta.result, { stdoutLength: 41, stderrLength: 61, interrupted: false });
    assert.equal(lint.isError, false);
    const failed = byToolUseId(events, 'toolu_01BashTest');
    assert.equal(failed.isError, true);
    assert.equal((failed.meta.result as { exitCode?: number }).exitCode, 1);
    const interrupted = byToolUseId(events, 'toolu_01BashWatch');
    assert.equal(interrupted.isError, true);
    assert.equal((interrupted.meta.result as { interrupted: boolean }).interrupted, true);
  });

  test('a plain string toolUseResult starting with Error is an error, with no edited path', () => {
    const r = byToolUseId(events, 'toolu_01EditBad');
    assert.equal(r.isError, true);
    assert.equal(r.meta.resultShape, 'error');
    assert.deepEqual(r.paths, []);
    assert.match(r.text, /String to replace not found/);
  });

  test('TodoWrite and Task', () => {
    assert.deepEqual(byToolUseId(events, 'toolu_01Todo').meta.result, { todos: 3 });
    const task = byToolUseId(events, 'toolu_01Task9');
    assert.deepEqual(task.meta.result, { status: 'completed', agentId: 'a4f09c1e2b7d5a368', totalTokens: 18422, totalToolUseCount: 7, totalDurationMs: 41230 });
    assert.match(task.text, /^Coupons are validated/);
    assert.equal(byToolUseId(events, 'toolu_01Task10').isError, true);
    const call = byToolUseId(events, 'toolu_01Task9', 'tool_call');
    assert.equal(call.text, 'Task (Explore): Find coupon validation rules');
  });

  test('unknown shapes keep their scalar fields; images become a marker', () => {
    assert.deepEqual(byToolUseId(events, 'toolu_01Grep').meta.result, { mode: 'files_with_matches', filenamesCount: 2, numFiles: 2 });
    const png = byToolUseId(events, 'toolu_01ReadPng');
    assert.equal(png.text, '[image]');
    assert.deepEqual(png.meta.result, { type: 'image' });
    assert.deepEqual(byToolUseId(events, 'toolu_01Linear').meta.result, { count: 1 });
  });

  test('a line mixing a tool result and text gives two events, in order', () => {
    const line = events.filter((e) => e.uuid === 'u-tr-15');
    assert.deepEqual(line.map((e) => e.kind), ['tool_result', 'user_prompt']);
    assert.equal(line[1]?.text, 'also keep the old total() signature working');
    assert.equal(line[1]?.sourceRef.offset, line[0]?.sourceRef.offset);
  });

  test('tool call renderings', () => {
    const text = (id: string): string => byToolUseId(events, id, 'tool_call').text;
    assert.equal(text('toolu_01BashTest'), 'Bash: npm test');
    // An edit's call holds what it replaced and what it wrote: the value an edit sets is a fact.
    assert.equal(
      text('toolu_01EditCk'),
      [
        'Edit /home/ana/shop-api/src/checkout.ts',
        '- export function total(items: Item[]): number {',
        '-   return items.reduce((sum, i) => sum + i.price * i.qty, 0);',
        '+ export function total(items: Item[], coupon?: Coupon): number {',
        '+   const gross = items.reduce((sum, i) => sum + i.price * i.qty, 0);',
        '+   return coupon ? applyCoupon(gross, coupon) : gross;',
      ].join('\n'),
    );
    assert.equal(text('toolu_01Grep'), 'Grep "applyCoupon" in /home/ana/shop-api/src');
    assert.equal(text('toolu_01Glob'), 'Glob "**/*.test.ts"');
    assert.equal(text('toolu_01Linear'), 'mcp__linear__create_issue {"title":"Coupon rounding off by a cent","teamId":"ENG"}');
    assert.deepEqual(byToolUseId(events, 'toolu_01Grep', 'tool_call').paths, ['/home/ana/shop-api/src']);
    assert.deepEqual(byToolUseId(events, 'toolu_01Glob', 'tool_call').paths, []);
  });

  test('a large tool input is summarised by its keys, and counted in full', () => {
    const big = byToolUseId(events, 'toolu_01WriteBig', 'tool_call');
    assert.equal(big.meta.input, undefined);
    assert.deepEqual(big.meta.inputKeys, ['file_path', 'content']);
    assert.ok((big.tokens ?? 0) > 500, `tokens ${big.tokens}`);
    // The written content is the event's text, cut for storage; its length is the whole call's.
    assert.ok(big.text.startsWith('Write '), big.text.slice(0, 40));
    assert.ok(big.textLength > big.text.length, `${big.textLength} > ${big.text.length}`);
    assert.match(big.text, /characters not stored/);
  });

  test('usage only on the first event of a line', () => {
    const line = JSON.stringify({
      type: 'assistant',
      requestId: 'req_1',
      message: {
        id: 'msg_1',
        model: 'claude-sonnet-4-5-20250929',
        content: [
          { type: 'text', text: 'Reading it.' },
          { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/a/b.ts' } },
        ],
        usage: { input_tokens: 5, output_tokens: 30 },
      },
    });
    const [text, call] = parseClaudeLine(rawLine(line), 'two-blocks.jsonl').events;
    assert.deepEqual(text?.usage, { inputTokens: 5, outputTokens: 30, cacheCreationTokens: 0, cacheReadTokens: 0 });
    assert.equal(call?.usage, undefined);
    assert.deepEqual([call?.messageId, call?.requestId, call?.model], ['msg_1', 'req_1', 'claude-sonnet-4-5-20250929']);
  });
});

describe('Claude Code parser: compaction', () => {
  const { events } = parseFixture('compact.jsonl');

  test('the boundary is a system event of its own that points back across the cut', () => {
    const boundary = only(byUuid(events, 's-cp-01'), 'boundary');
    assert.equal(boundary.kind, 'system');
    assert.equal(boundary.meta.subtype, 'compact_boundary');
    assert.equal(boundary.parentUuid, undefined);
    assert.equal(boundary.logicalParentUuid, 'u-cp-02');
    assert.deepEqual(boundary.meta.compactMetadata, { trigger: 'auto', preTokens: 158204, postTokens: 9120, durationMs: 41872 });
    assert.equal(boundary.text, 'Conversation compacted');
  });

  test('the summary after it is a compact_summary, not a prompt', () => {
    const summary = only(byUuid(events, 'u-cp-03'), 'summary');
    assert.equal(summary.kind, 'compact_summary');
    assert.equal(summary.meta.visibleInTranscriptOnly, true);
    assert.equal(only(byUuid(events, 'u-cp-04'), 'prompt').kind, 'user_prompt');
  });

  test('microcompaction keeps its metadata', () => {
    const micro = only(byUuid(events, 's-cp-02'), 'microcompact');
    assert.equal(micro.meta.subtype, 'microcompact_boundary');
    assert.deepEqual((micro.meta.microcompactMetadata as { compactedToolIds: string[] }).compactedToolIds, ['toolu_01CpRead']);
  });
});
