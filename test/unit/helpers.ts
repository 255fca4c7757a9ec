// Shared test helpers: temporary folders and a compact builder of Claude Code JSONL lines.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function tempDir(prefix = 'loupe-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeFile(path: string, content: string | Uint8Array): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

export const SESSION = '5b7e2c1a-0d4f-4e8a-9c3b-7a6d5e4f3a21';
export const CWD = '/home/ana/shop-api';
export const PROJECT = '-home-ana-shop-api';

let clock = Date.parse('2026-03-02T09:00:00.000Z');
function nextTs(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

interface Common {
  uuid: string;
  parent?: string | null;
  sessionId?: string;
  sidechain?: boolean;
  agentId?: string;
}

function base(type: string, c: Common): Record<string, unknown> {
  return {
    type,
    uuid: c.uuid,
    parentUuid: c.parent ?? null,
    isSidechain: c.sidechain ?? false,
    userType: 'external',
    cwd: CWD,
    sessionId: c.sessionId ?? SESSION,
    version: '2.1.90',
    gitBranch: 'main',
    timestamp: nextTs(),
    ...(c.agentId ? { agentId: c.agentId } : {}),
  };
}

export function prompt(c: Common, text: string): string {
  return JSON.stringify({ ...base('user', c), message: { role: 'user', content: text } });
}

export interface UsageIn {
  input?: number;
  output?: number;
  cacheCreation?: number;
  cacheRead?: number;
}

export function assistant(
  c: Common & { messageId: string; requestId?: string; usage?: UsageIn },
  block: Record<string, unknown>,
): string {
  const u = c.usage ?? {};
  return JSON.stringify({
    ...base('assistant', c),
    requestId: c.requestId ?? `req_${c.messageId}`,
    message: {
      id: c.messageId,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [block],
      stop_reason: block.type === 'tool_use' ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: u.input ?? 3,
        cache_creation_input_tokens: u.cacheCreation ?? 100,
        cache_read_input_tokens: u.cacheRead ?? 1000,
        output_tokens: u.output ?? 20,
        service_tier: 'standard',
      },
    },
  });
}

export const text = (t: string) => ({ type: 'text', text: t });
export const toolUse = (id: string, name: string, input: Record<string, unknown>) => ({ type: 'tool_use', id, name, input });

export function toolResult(c: Common, toolUseId: string, content: string, extra: Record<string, unknown> = {}, isError = false): string {
  return JSON.stringify({
    ...base('user', c),
    message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUseId, content, ...(isError ? { is_error: true } : {}) }] },
    ...extra,
  });
}

export function record(type: string, fields: Record<string, unknown>, c?: Common): string {
  return JSON.stringify({ ...(c ? base(type, c) : { type }), ...fields });
}

/** Lines joined as a JSONL file (each line terminated). */
export function jsonl(lines: string[]): string {
  return lines.map((l) => l + '\n').join('');
}
