// Writes planned turns as Claude Code JSONL: one content block per assistant line, lines of one
// message sharing message.id and requestId (and usage), parallel tool calls as a chain of
// single-block lines with each result hung under its own call, tool results as user records with
// the structured toolUseResult, task notifications and interruptions as user records.
import type { Domain } from './domains';
import type { Rng } from './rng';
import type { ToolCall, TurnPlan } from './types';

const VERSION = '2.1.112';
const MODEL = 'claude-sonnet-4-5-20250929';
const REJECTED =
  "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.";

export interface EmitContext {
  sessionId: string;
  d: Domain;
  rng: Rng;
  /** Start time, ms since the epoch. */
  start: number;
  title: string;
}

export function emitSession(turns: TurnPlan[], ctx: EmitContext): string[] {
  const { rng, d } = ctx;
  const lines: string[] = [];
  let clock = ctx.start;
  let last: string | null = null;
  let context = 12_000 + rng.int(0, 4000);
  let lastBackgroundCall = '';
  let lastContext: number | undefined;
  const tick = (lo: number, hi: number) => {
    clock += Math.round(lo * 1000 + rng.next() * (hi - lo) * 1000);
    return new Date(clock).toISOString();
  };
  const base = (type: string, uuid: string, parent: string | null, ts: string, extra: Record<string, unknown> = {}) => ({
    parentUuid: parent,
    isSidechain: false,
    userType: 'external',
    cwd: d.cwd,
    sessionId: ctx.sessionId,
    version: VERSION,
    gitBranch: d.branch,
    entrypoint: 'cli',
    type,
    ...extra,
    uuid,
    timestamp: ts,
  });
  const push = (rec: Record<string, unknown>) => lines.push(JSON.stringify(rec));

  const result = (call: ToolCall, id: string, parent: string, content: string, isError: boolean, structured: unknown) => {
    const uuid = rng.uuid();
    push({
      ...base('user', uuid, parent, tick(0.1, call.name === 'Bash' ? 25 : 1.5)),
      message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content, ...(isError ? { is_error: true } : {}) }] },
      toolUseResult: structured,
      sourceToolAssistantUUID: parent,
    });
    context += Math.ceil(content.length / 4);
    return uuid;
  };

  /** One assistant message; returns the uuids of its tool_use lines, by call. */
  const message = (blocks: Array<Record<string, unknown>>): string[] => {
    const msgId = `msg_01${rng.id(22)}`;
    const requestId = `req_011C${rng.id(18)}`;
    const out = blocks.reduce((n, b) => n + JSON.stringify(b).length, 0);
    const created = Math.max(20, context - (lastContext ?? context) + rng.int(0, 300));
    const usage = {
      input_tokens: rng.int(1, 8),
      cache_creation_input_tokens: created,
      cache_read_input_tokens: context,
      cache_creation: { ephemeral_5m_input_tokens: created, ephemeral_1h_input_tokens: 0 },
      output_tokens: Math.ceil(out / 4) + rng.int(5, 60),
      service_tier: 'standard',
    };
    lastContext = context;
    const callUuids: string[] = [];
    blocks.forEach((block, i) => {
      const uuid = rng.uuid();
      const isLast = i === blocks.length - 1;
      push({
        ...base('assistant', uuid, last, tick(i === 0 ? 1.5 : 0.05, i === 0 ? 12 : 0.8)),
        requestId,
        message: { model: MODEL, id: msgId, type: 'message', role: 'assistant', content: [block], stop_reason: isLast ? (block.type === 'tool_use' ? 'tool_use' : 'end_turn') : null, stop_sequence: null, usage },
      });
      last = uuid;
      if (block.type === 'tool_use') callUuids.push(uuid);
    });
    context += Math.ceil(out / 4);
    return callUuids;
  };

  const toolBlock = (call: ToolCall) => {
    const id = `toolu_01${rng.id(22)}`;
    if (call.input.run_in_background === true) lastBackgroundCall = id;
    return { type: 'tool_use', id, name: call.name, input: call.input };
  };

  turns.forEach((turn, index) => {
    const promptUuid = rng.uuid();
    const ts = tick(index === 0 ? 0 : 20, index === 0 ? 1 : 400);
    if (rng.chance(0.3)) push({ type: 'file-history-snapshot', messageId: promptUuid, snapshot: { messageId: promptUuid, trackedFileBackups: {}, timestamp: ts }, isSnapshotUpdate: false });
    const content = turn.reminder ? [{ type: 'text', text: turn.prompt }, { type: 'text', text: `<system-reminder>\n${turn.reminder}\n</system-reminder>` }] : turn.prompt;
    push({ ...base('user', promptUuid, last, ts, { promptId: rng.uuid() }), message: { role: 'user', content }, permissionMode: 'default' });
    last = promptUuid;
    context += Math.ceil(turn.prompt.length / 4);

    for (const step of turn.steps) {
      if (step.kind === 'msg') {
        const blocks: Array<Record<string, unknown>> = [];
        if (step.think) blocks.push({ type: 'thinking', thinking: step.think, signature: rng.id(180) });
        if (step.text) blocks.push({ type: 'text', text: step.text });
        const calls = step.calls ?? [];
        const tools = calls.map(toolBlock);
        blocks.push(...tools);
        if (blocks.length === 0) continue;
        const callUuids = message(blocks);
        // Parallel results may come back in any order.
        const order = calls.map((_, i) => i);
        const written = calls.length > 1 && rng.chance(0.4) ? rng.shuffle(order) : order;
        for (const i of written) last = result(calls[i]!, tools[i]!.id, callUuids[i]!, calls[i]!.output, calls[i]!.isError === true, calls[i]!.structured);
      } else if (step.kind === 'notify') {
        const uuid = rng.uuid();
        const text = `<task-notification>\n<task-id>${step.taskId}</task-id>\n<tool-use-id>${step.toolUseId || lastBackgroundCall}</tool-use-id>\n<output-file>${step.outputFile}</output-file>\n<status>completed</status>\n<summary>${step.summary}</summary>\n</task-notification>`;
        push({ ...base('user', uuid, last, tick(30, 300), { promptId: rng.uuid() }), message: { role: 'user', content: text }, origin: { kind: 'task-notification' } });
        last = uuid;
      } else {
        if (step.call) {
          const tool = toolBlock(step.call);
          const [callUuid] = message([tool]);
          last = result(step.call, tool.id, callUuid!, REJECTED, true, 'User rejected tool use');
        } else if (step.partial) message([{ type: 'text', text: step.partial }]);
        const uuid = rng.uuid();
        push({ ...base('user', uuid, last, tick(0.5, 4)), message: { role: 'user', content: [{ type: 'text', text: step.call ? '[Request interrupted by user for tool use]' : '[Request interrupted by user]' }] } });
        last = uuid;
      }
    }
    if (rng.chance(0.25)) {
      const uuid = rng.uuid();
      push({ ...base('system', uuid, last, tick(0.1, 0.5)), subtype: 'turn_duration', durationMs: rng.int(4000, 240000), isMeta: false });
      last = uuid;
    }
  });
  push({ type: 'ai-title', aiTitle: ctx.title, sessionId: ctx.sessionId });
  push({ type: 'last-prompt', lastPrompt: turns[turns.length - 1]?.prompt ?? '', leafUuid: last, sessionId: ctx.sessionId });
  return lines;
}
