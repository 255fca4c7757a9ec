// The context fill: the estimate calibrated on the usage a transcript carries, flagged as the
// visible part alone when it carries none, and never zeroed by a `<synthetic>` message.
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

/**
 * A session of `turns` read-and-answer turns, a compaction after `compactAfter` turns, and a tool
 * result still waiting for the assistant at the end. `usageOf(line)` is the usage of the assistant
 * line at that index (null: the transcript carries none).
 */
function readingSession(usageOf: (line: number) => UsageIn | null, turns = 16, compactAfter = 10): string[] {
  const lines: string[] = [];
  let parent = '';
  const push = (line: string, uuid: string) => {
    lines.push(line);
    parent = uuid;
  };
  for (let t = 1; t <= turns; t++) {
    if (t === compactAfter + 1) {
      push(
        record(
          'system',
          {
            subtype: 'compact_boundary',
            content: 'Conversation compacted',
            logicalParentUuid: parent,
            compactMetadata: { trigger: 'auto', preTokens: 150_000 },
          },
          { uuid: 'boundary', parent: null },
        ),
        'boundary',
      );
      push(
        record('user', { message: { role: 'user', content: `This session is being continued from a previous conversation.\n${code(99, 12)}` }, isCompactSummary: true }, { uuid: 'summary', parent }),
        'summary',
      );
    }
    push(prompt({ uuid: `p${t}`, parent }, `Read module ${t} and tell me what it computes.`), `p${t}`);
    push(assistantLine(`c${t}`, parent, `m${t}a`, toolUse(`toolu_${t}`, 'Read', { file_path: `/home/ana/shop-api/src/m${t}.ts` }), usageOf(lines.length)), `c${t}`);
    push(toolResult({ uuid: `r${t}`, parent }, `toolu_${t}`, code(t, 20 + ((t * 17) % 45))), `r${t}`);
    push(assistantLine(`s${t}`, parent, `m${t}b`, text(`Module ${t} computes ${t * 3} values from its inputs.`), usageOf(lines.length)), `s${t}`);
  }
  push(prompt({ uuid: 'p-last', parent }, 'And the last one?'), 'p-last');
  push(assistantLine('c-last', parent, 'm-last', toolUse('toolu_last', 'Read', { file_path: '/home/ana/shop-api/src/last.ts' }), usageOf(lines.length)), 'c-last');
  push(toolResult({ uuid: 'r-last', parent }, 'toolu_last', code(77, 120)), 'r-last');
  return lines;
}

async function ingested(lines: string[]): Promise<{ store: Store; stats: SessionStats }> {
  const dir = tempDir();
  writeFile(join(dir, 'projects', PROJECT, `${SESSION}.jsonl`), jsonl(lines));
  const store = await openStore(join(dir, 'loupe.db'));
  await ingestPaths(store, [dir]);
  return { store, stats: sessionStats(store, SESSION) };
}

/** Loupe's visible running total (reset at the compaction) just before each line, and at the end. */
function visibleBeforeLines(store: Store): { before: Map<number, number>; end: number } {
  const before = new Map<number, number>();
  let total = 0;
  for (const ev of store.events(SESSION, { mainLineOnly: true })) {
    if (ev.kind === 'meta') continue;
    if (ev.kind === 'system' && JSON.stringify(ev.meta).includes('"compact_boundary"')) total = 0;
    const line = ev.sourceRef.line - 1;
    if (!before.has(line)) before.set(line, total);
    total += ev.tokens;
  }
  return { before, end: total };
}

test('without usage the estimate is the visible count alone, and says so', async () => {
  const { store, stats } = await ingested(readingSession(() => null));
  assert.deepEqual(stats.contextReal, []);
  assert.equal(stats.contextEstimateVisibleOnly, true);
  assert.deepEqual(
    stats.contextCalibration.map((c) => c.fit),
    ['none', 'none'],
  );
  const { end } = visibleBeforeLines(store);
  assert.deepEqual(stats.contextNow, { tokens: end, eventId: stats.contextEstimated.at(-1)!.eventId, source: 'visible' });
  // The compaction starts the count again.
  const boundary = stats.compactions[0]!.eventId;
  const peakBefore = Math.max(...stats.contextEstimated.filter((p) => p.eventId < boundary).map((p) => p.tokens));
  const atBoundary = stats.contextEstimated.find((p) => p.eventId === boundary)!.tokens;
  assert.ok(atBoundary < peakBefore / 4, `${atBoundary} after the boundary, ${peakBefore} before`);
});

test('with usage the estimate is calibrated on it: offset and growth learned for each stretch between compactions', async () => {
  // The visible counts, from the same session without usage.
  const { store: plain } = await ingested(readingSession(() => null));
  const { before } = visibleBeforeLines(plain);
  const boundaryLine = readingSession(() => null).findIndex((l) => l.includes('"compact_boundary"'));
  // A harness like Claude Code's: a system prompt and tools the transcript never shows (18k before
  // the compaction, 31k after: the summary brings attachments), and hidden thinking that makes the
  // real fill grow 2.4 (then 1.6) times as fast as the visible count; a ±2% jitter; and one cold
  // first call far off the line, as in the real posthog session.
  const fillOf = (line: number): UsageIn | null => {
    const visible = before.get(line);
    assert.ok(visible !== undefined, `line ${line} was ingested`);
    if (line === 1) return { input: 3, cacheCreation: 6_000, cacheRead: 0, output: 50 };
    const [base, ratio] = line < boundaryLine ? [18_000, 2.4] : [31_000, 1.6];
    const jitter = 1 + 0.02 * Math.sin(line * 12.9898);
    const fill = Math.round((base + ratio * visible) * jitter);
    return { input: 3, cacheCreation: 400, cacheRead: fill - 403, output: 120 };
  };
  const lines = readingSession(fillOf);
  const { stats } = await ingested(lines);

  assert.equal(stats.contextEstimateVisibleOnly, false);
  const [first, second] = stats.contextCalibration;
  assert.equal(first!.fit, 'fitted');
  assert.equal(second!.fit, 'fitted');
  assert.ok(Math.abs(first!.ratio - 2.4) < 0.15, `ratio before the compaction ${first!.ratio}`);
  assert.ok(Math.abs(first!.base - 18_000) < 1_500, `base before the compaction ${first!.base}`);
  assert.ok(Math.abs(second!.ratio - 1.6) < 0.15, `ratio after the compaction ${second!.ratio}`);
  assert.ok(Math.abs(second!.base - 31_000) < 1_500, `base after the compaction ${second!.base}`);

  // At every call but the cold first one, the estimate is within 5% of the real fill.
  const estimateAt = new Map(stats.contextEstimated.map((p) => [p.eventId, p.tokens]));
  for (const p of stats.contextReal.slice(1)) {
    const est = estimateAt.get(p.eventId)!;
    assert.ok(Math.abs(est - p.tokens) / p.tokens < 0.05, `event ${p.eventId}: estimate ${est}, real ${p.tokens}`);
  }
  // So is the peak before the compaction, which the visible count alone misses by more than half.
  const boundary = stats.compactions[0]!.eventId;
  const peak = (points: { eventId: number; tokens: number }[]) => Math.max(...points.filter((p) => p.eventId < boundary).map((p) => p.tokens));
  const realPeak = peak(stats.contextReal);
  assert.ok(Math.abs(peak(stats.contextEstimated) - realPeak) / realPeak < 0.05);
  const { stats: visibleOnly } = await ingested(readingSession(() => null));
  assert.ok(peak(visibleOnly.contextEstimated) < realPeak / 2);

  // Now: a tool result came after the last call; it counts with the stretch's growth ratio.
  const lastCall = stats.contextReal.at(-1)!;
  const lastCallLine = lines.findIndex((l) => l.includes('"m-last"'));
  const grown = visibleBeforeLines(plain).end - before.get(lastCallLine)!;
  assert.equal(stats.contextNow.source, 'calibrated');
  assert.equal(stats.contextNow.tokens, Math.round(lastCall.tokens + second!.ratio * grown));
  assert.ok(stats.contextNow.tokens > lastCall.tokens + grown, 'more than the visible growth alone');
});

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

test('a <synthetic> message after an interrupt is no usage point and does not zero the current fill', async () => {
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
  // The prompt typed since the last call is added to that call's fill.
  assert.equal(stats.contextNow.source, 'calibrated');
  assert.ok(stats.contextNow.tokens > 52_003 && stats.contextNow.tokens < 52_003 + 200, `now ${stats.contextNow.tokens}`);

  // A database written before zero usage was left out still has the row: it is no point either.
  const synthetic = store.events(SESSION).find((e) => e.model === '<synthetic>')!;
  store.db.run(
    `INSERT INTO usage (session, message_id, request_id, event_id, ts, model, sidechain) VALUES (?, 'msg_synthetic', 'req_x', ?, '', '<synthetic>', 0)`,
    [store.key(SESSION), synthetic.id],
  );
  const again = sessionStats(store, SESSION);
  assert.deepEqual(again.contextReal, stats.contextReal);
  assert.deepEqual(again.contextNow, stats.contextNow);
});

test('a zero-usage reply right after a call leaves the fill at that call', async () => {
  const { stats } = await ingested(
    interruptedSession((parent) => [assistantLine('a3', parent, 'msg_error', text('API Error: 529 overloaded'), { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 })]),
  );
  assert.deepEqual(stats.contextNow, { tokens: 52_003, eventId: stats.contextReal.at(-1)!.eventId, source: 'usage' });
  assert.equal(stats.contextReal.length, 2);
});
