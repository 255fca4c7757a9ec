// Session statistics: where the tokens go, and how full the context window was over time.
import { type ContextNow, type ContextPoint, type FillCalibration, type FillEvent, contextFill } from './context-fill';
import type { Usage } from './model';
import { all, num, optStr, str } from './store/rows';
import type { Store } from './store/store';

export type { ContextNow, ContextPoint, FillCalibration } from './context-fill';

export interface SessionStats {
  sessionId: string;
  title: string;
  events: number;
  turns: number;
  /** gpt-tokenizer count of every event. */
  tokens: number;
  /** API usage, every message counted once. */
  usage: Usage;
  byKind: { kind: string; events: number; tokens: number }[];
  byTool: { tool: string; calls: number; tokens: number; errors: number }[];
  biggestOutputs: { handle: string; tool: string; target: string; tokens: number; chars: number; turn: number }[];
  /**
   * Real context fill at each main-line assistant message with real usage: input + cache creation +
   * cache read. A `<synthetic>` message (all counts zero) was no API call and has no point.
   */
  contextReal: ContextPoint[];
  /**
   * Estimated fill at each main-line event: the running gpt-tokenizer total of the main line (reset
   * at each compaction), calibrated on the real points (`contextCalibration`) when there are some.
   */
  contextEstimated: ContextPoint[];
  /** How the estimate was calibrated, one entry a stretch between compactions. */
  contextCalibration: FillCalibration[];
  /**
   * The transcript has no API usage: the estimate is Loupe's count of the visible events only,
   * without the system prompt, tool definitions, attachments and skills that the real fill holds.
   */
  contextEstimateVisibleOnly: boolean;
  /** The fill now (after the last event): what the gauge and the status bar show. */
  contextNow: ContextNow;
  compactions: { eventId: number; ts: string; preTokens: number | null }[];
}

export function sessionStats(store: Store, sessionId: string): SessionStats {
  const session = store.resolveSession(sessionId);
  const id = session.id;
  const key = store.key(id);
  const db = store.db;
  const byKind = all(
    db,
    'SELECT kind, COUNT(*) AS n, SUM(tokens) AS t FROM events WHERE session = ? GROUP BY kind ORDER BY t DESC, kind',
    [key],
  ).map((r) => ({ kind: str(r.kind), events: num(r.n), tokens: num(r.t) }));
  const byTool = all(
    db,
    `SELECT tool_name, SUM(kind = 'tool_call') AS calls, SUM(tokens) AS t, SUM(kind = 'tool_result' AND is_error = 1) AS errors
     FROM events WHERE session = ? AND tool_name IS NOT NULL GROUP BY tool_name ORDER BY t DESC, tool_name`,
    [key],
  ).map((r) => ({ tool: str(r.tool_name), calls: num(r.calls), tokens: num(r.t), errors: num(r.errors) }));
  const biggestOutputs = all(
    db,
    `SELECT r.id, r.tool_name, r.tokens, r.text_length, r.turn, c.paths AS call_paths, c.text AS call_text
     FROM events r LEFT JOIN events c ON c.id = r.parent_id
     WHERE r.session = ? AND r.kind = 'tool_result' ORDER BY r.tokens DESC, r.id LIMIT 10`,
    [key],
  ).map((r) => ({
    handle: `e${num(r.id)}`,
    tool: str(r.tool_name) || '?',
    target: callTarget(optStr(r.call_paths), str(r.call_text)),
    tokens: num(r.tokens),
    chars: num(r.text_length),
    turn: num(r.turn),
  }));
  const contextReal = all(
    db,
    // Zero usage is no longer stored, but databases ingested before that still hold such rows.
    `SELECT event_id, ts, input_tokens + cache_creation_tokens + cache_read_tokens AS fill
     FROM usage u WHERE session = ? AND sidechain = 0 AND model <> '<synthetic>'
       AND input_tokens + cache_creation_tokens + cache_read_tokens > 0
       AND EXISTS (SELECT 1 FROM events e WHERE e.id = u.event_id AND e.main_line = 1)
     ORDER BY event_id`,
    [key],
  ).map((r) => ({ eventId: num(r.event_id), ts: str(r.ts), tokens: num(r.fill) }));

  const mainLine: FillEvent[] = [];
  const compactions: SessionStats['compactions'] = [];
  for (const r of all(
    db,
    `SELECT id, ts, kind, role, tokens, meta FROM events WHERE session = ? AND sidechain = 0 AND main_line = 1 ORDER BY seq`,
    [key],
  )) {
    const meta = str(r.meta);
    const compaction = str(r.kind) === 'system' && meta.includes('"compact_boundary"');
    if (compaction) {
      const pre = /"preTokens":(\d+)/.exec(meta);
      compactions.push({ eventId: num(r.id), ts: str(r.ts), preTokens: pre ? Number(pre[1]) : null });
    }
    if (str(r.kind) === 'meta') continue; // bookkeeping records never reach the model
    mainLine.push({ eventId: num(r.id), ts: str(r.ts), tokens: num(r.tokens), input: str(r.role) === 'user' || str(r.role) === 'tool', compaction });
  }
  const fill = contextFill(mainLine, contextReal);
  const turns = store.turns(id).length;
  return {
    sessionId: id,
    title: session.title,
    events: byKind.reduce((n, k) => n + k.events, 0),
    turns,
    tokens: byKind.reduce((n, k) => n + k.tokens, 0),
    usage: store.sessionUsage(id),
    byKind,
    byTool,
    biggestOutputs,
    contextReal,
    contextEstimated: fill.estimated,
    contextCalibration: fill.calibration,
    contextEstimateVisibleOnly: fill.visibleOnly,
    contextNow: fill.now,
    compactions,
  };
}

function callTarget(pathsJson: string | null, callText: string): string {
  if (pathsJson) {
    try {
      const paths = JSON.parse(pathsJson) as string[];
      if (paths.length > 0) return paths.join(', ');
    } catch {
      // fall through to the call's text
    }
  }
  return callText.split('\n')[0]!.slice(0, 80);
}

const BARS = '▁▂▃▄▅▆▇█';

/** A one-line chart of `values` in `width` cells (each cell shows the max of its bucket). */
export function sparkline(values: number[], width = 60, max = values.reduce((m, v) => Math.max(m, v), 1)): string {
  if (values.length === 0) return '';
  const cells = Math.min(width, values.length);
  let out = '';
  for (let c = 0; c < cells; c++) {
    const from = Math.floor((c * values.length) / cells);
    const to = Math.max(from + 1, Math.floor(((c + 1) * values.length) / cells));
    let peak = 0;
    for (let i = from; i < to; i++) peak = Math.max(peak, values[i]!);
    out += BARS[Math.min(BARS.length - 1, Math.floor((peak / max) * (BARS.length - 1) + 0.5))];
  }
  return out;
}
