// Writing parsed events: everything that needs more than one line of a transcript happens here,
// because parsers are stateless per line (so that an ingest can hand them only what was appended).
//   - usage is deduplicated on (message.id, requestId), keeping the largest total;
//   - a tool result is paired with its call (parent_id, tool name);
//   - subagent events hang under the Task call that spawned them;
//   - forks of the parentUuid DAG: the main line is the chain to the newest leaf;
//   - events are segmented into turns (a user prompt and all the work until the next one).
import type { Database } from 'sql.js';
import type { EventKind, ParsedEvent } from '../model';
import { abandonedRecords, CONVERSATION_KINDS, type LineNode } from './main-line';
import { all, json, num, one, scalar, statement, str } from './rows';

export interface AppendContext {
  /** The session's integer key (sessions.key). */
  session: number;
  fileId: number;
  /** For a subagent file: the Task tool call that spawned it, when known. */
  taskCallId?: number | null;
}

/** Appends events in order; returns the seq of the first one (or null when there were none). */
export function appendEvents(db: Database, ctx: AppendContext, events: ParsedEvent[], mainLine?: readonly boolean[]): number | null {
  if (events.length === 0) return null;
  const { session } = ctx;
  let seq = scalar(db, 'SELECT MAX(seq) FROM events WHERE session = ?', [session]);
  const firstSeq = seq + 1;
  let turn = currentTurn(db, session);
  // Ids are assigned here rather than read back with last_insert_rowid(): one query less per
  // event, and safe because every write runs under the single-writer lock.
  let nextId = scalar(db, 'SELECT MAX(id) FROM events') + 1;
  const taskTurn = ctx.taskCallId ? scalar(db, 'SELECT turn FROM events WHERE id = ?', [ctx.taskCallId]) : null;
  // Calls seen in this batch, so results can find them without a query.
  const calls = new Map<string, { id: number; toolName: string | null }>();
  const localCommands = new LocalCommands(db, session);
  // Results whose call was not seen yet: parallel calls' results may be written before their call.
  const orphans: string[] = [];

  const insert = db.prepare(
    `INSERT INTO events (id, session, seq, turn, ts, kind, role, text, text_length, tokens, tool_name, tool_use_id,
       is_error, paths, model, uuid, parent_uuid, parent_id, sidechain, agent_id, main_line, meta,
       file_id, src_offset, src_length, src_line)
     VALUES (?,?,?,?,?,?,?, CAST(? AS TEXT),?,?,?,?,?, CAST(? AS TEXT),?,?,?,?,?,?,?, CAST(? AS TEXT),?,?,?,?)`,
  );
  const upsertUsage = db.prepare(
    `INSERT INTO usage (session, message_id, request_id, event_id, ts, model, sidechain,
       input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens)
     VALUES (?,?,?,?,?,?,?,?,?,?,?)
     ON CONFLICT (session, message_id, request_id) DO UPDATE SET
       input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
       cache_creation_tokens = excluded.cache_creation_tokens, cache_read_tokens = excluded.cache_read_tokens
     WHERE excluded.input_tokens + excluded.output_tokens + excluded.cache_creation_tokens + excluded.cache_read_tokens
         > usage.input_tokens + usage.output_tokens + usage.cache_creation_tokens + usage.cache_read_tokens`,
  );
  const classified = events.map((ev) => localCommands.classify(ev));
  const starts = turnStarts(
    classified.map((ev, i) => ({ kind: ev.kind, sidechain: ev.sidechain, main: mainLine?.[i] ?? true, meta: ev.meta, line: ev.sourceRef.offset })),
  );
  try {
    for (const [i, ev] of classified.entries()) {
      seq++;
      const main = mainLine?.[i] ?? true;
      let eventTurn: number;
      if (ev.sidechain && taskTurn !== null) eventTurn = taskTurn;
      else if (starts[i]) eventTurn = ++turn;
      else eventTurn = turn;

      let parentId: number | null = null;
      let toolName = ev.toolName ?? null;
      if (ev.kind === 'tool_result' && ev.toolUseId) {
        const call = calls.get(ev.toolUseId) ?? findCall(db, session, ev.toolUseId);
        if (call) {
          parentId = call.id;
          toolName = toolName ?? call.toolName;
        }
      } else if (ev.sidechain && ctx.taskCallId) {
        parentId = ctx.taskCallId;
      }
      const meta = ev.logicalParentUuid ? { ...ev.meta, logicalParentUuid: ev.logicalParentUuid } : ev.meta;
      const id = nextId++;
      insert.run([
        id,
        session,
        seq,
        eventTurn,
        ev.ts,
        ev.kind,
        ev.role,
        utf8(ev.text),
        ev.textLength,
        ev.tokens ?? 0,
        toolName,
        ev.toolUseId ?? null,
        ev.isError ? 1 : 0,
        ev.paths.length > 0 ? utf8(JSON.stringify(ev.paths)) : null,
        // The model is the same for every block of a message: kept once, where its usage is.
        ev.usage ? (ev.model ?? null) : null,
        ev.uuid ?? null,
        // A compact boundary has no parentUuid; its logical parent continues the chain across the cut.
        ev.parentUuid ?? ev.logicalParentUuid ?? null,
        parentId,
        ev.sidechain ? 1 : 0,
        ev.agentId ?? null,
        main ? 1 : 0,
        Object.keys(meta).length > 0 ? utf8(JSON.stringify(meta)) : null,
        ctx.fileId,
        ev.sourceRef.offset,
        ev.sourceRef.length,
        ev.sourceRef.line,
      ]);
      if (ev.kind === 'tool_call' && ev.toolUseId) calls.set(ev.toolUseId, { id, toolName });
      if (ev.kind === 'tool_result' && ev.toolUseId && parentId === null) orphans.push(ev.toolUseId);
      // All four counts zero is no API call (Claude Code's `<synthetic>` messages after an interrupt
      // or an API error): it adds nothing to a total and must never read as a context fill of 0.
      const u = ev.usage;
      if (u && ev.messageId && u.inputTokens + u.outputTokens + u.cacheCreationTokens + u.cacheReadTokens > 0) {
        upsertUsage.run([
          session,
          ev.messageId,
          ev.requestId ?? '',
          id,
          ev.ts,
          ev.model ?? '',
          ev.sidechain ? 1 : 0,
          u.inputTokens,
          u.outputTokens,
          u.cacheCreationTokens,
          u.cacheReadTokens,
        ]);
      }
    }
    // Only an append can find its orphans stored: a first read of a file is one batch.
    if (orphans.length > 0 || (firstSeq > 1 && calls.size > 0)) pairLateCalls(db, session, calls, orphans, firstSeq > 1);
  } finally {
    insert.free();
    upsertUsage.free();
  }
  return firstSeq;
}

/**
 * Pairs results written before their call (Claude Code writes a parallel call's result as soon as
 * it arrives, which can be before the line of the call itself; 6 results in 2 of the corpus's
 * 11 sessions) once the call is stored: by id, wherever the two lines sit, in this batch or an
 * earlier one. The lookup uses the (session, tool_use_id) index, one probe per new call.
 */
function pairLateCalls(
  db: Database,
  session: number,
  calls: ReadonlyMap<string, { id: number; toolName: string | null }>,
  orphans: readonly string[],
  appended: boolean,
): void {
  const update = statement(db, "UPDATE events SET parent_id = ?, tool_name = COALESCE(tool_name, ?) WHERE session = ? AND tool_use_id = ? AND kind = 'tool_result' AND parent_id IS NULL");
  for (const toolUseId of orphans) {
    const call = calls.get(toolUseId);
    if (call) update.run([call.id, call.toolName, session, toolUseId]);
  }
  if (!appended) return;
  const orphaned = new Set(orphans);
  const stored = statement(db, "SELECT 1 FROM events WHERE session = ? AND tool_use_id = ? AND kind = 'tool_result' AND parent_id IS NULL LIMIT 1");
  for (const [toolUseId, call] of calls) {
    if (orphaned.has(toolUseId)) continue;
    stored.bind([session, toolUseId]);
    const found = stored.step();
    stored.reset();
    if (found) update.run([call.id, call.toolName, session, toolUseId]);
  }
}

/**
 * A slash command runs either in Claude Code (`/model`, `/exit`: a local command, answered by
 * `<local-command-stdout>`, no agent work) or as a prompt (a skill, `/review the auth flow`).
 * Claude Code writes a `<local-command-caveat>` record right before a local command and makes it
 * the command's parent; a command whose parent is a caveat is therefore local: kind `system`, so
 * it neither starts a turn nor becomes one's intent. (The tags' order also differs between the two,
 * but that is an accident of formatting, not a statement.)
 */
class LocalCommands {
  private readonly caveats = new Set<string>();
  constructor(
    private readonly db: Database,
    private readonly session: number,
  ) {}

  classify(ev: ParsedEvent): ParsedEvent {
    if (ev.meta.injected === 'local-command-caveat' && ev.uuid) this.caveats.add(ev.uuid);
    if (ev.kind !== 'user_prompt' || ev.meta.command === undefined || !ev.parentUuid) return ev;
    if (!this.caveats.has(ev.parentUuid) && !this.storedCaveat(ev.parentUuid)) return ev;
    return { ...ev, kind: 'system', meta: { ...ev.meta, injected: 'local-command' } };
  }

  private storedCaveat(uuid: string): boolean {
    const row = one(this.db, 'SELECT meta FROM events WHERE session = ? AND uuid = ? LIMIT 1', [this.session, uuid]);
    return row !== undefined && json<Record<string, unknown>>(row.meta, {}).injected === 'local-command-caveat';
  }
}

/**
 * A turn starts at a prompt the user typed on the main line. "[Request interrupted by user]" is
 * written as a user message but continues the turn it interrupted.
 */
function startsTurn(kind: string, sidechain: boolean, mainLine: boolean, meta: Record<string, unknown>): boolean {
  return kind === 'user_prompt' && !sidechain && mainLine && meta.interrupted !== true;
}

interface TurnItem {
  kind: string;
  sidechain: boolean;
  main: boolean;
  meta: Record<string, unknown>;
  /** Where its line starts in its file: events of one line share it. */
  line: number;
}

/**
 * Which events start a turn: a typed prompt, or the first of the injected events written before it
 * in the same line (IDE context sent with the prompt belongs to the prompt's turn).
 */
function turnStarts(items: readonly TurnItem[]): boolean[] {
  const starts = items.map((it) => startsTurn(it.kind, it.sidechain, it.main, it.meta));
  for (let i = 0; i < items.length; i++) {
    if (!starts[i]) continue;
    let first = i;
    while (first > 0 && items[first - 1]!.line === items[i]!.line && items[first - 1]!.meta.injected !== undefined) first--;
    if (first < i) {
      starts[first] = true;
      starts[i] = false;
    }
  }
  return starts;
}

/**
 * Long strings are bound as UTF-8 bytes and cast to TEXT in SQL: sql.js encodes a bound string
 * to UTF-8 in a JavaScript loop, a blob with one native copy, and text binding was the largest
 * single cost of ingest.
 */
function utf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

function currentTurn(db: Database, session: number): number {
  return scalar(db, 'SELECT MAX(turn) FROM events WHERE session = ? AND sidechain = 0', [session]);
}

function findCall(db: Database, session: number, toolUseId: string): { id: number; toolName: string | null } | null {
  const row = one(db, "SELECT id, tool_name FROM events WHERE session = ? AND tool_use_id = ? AND kind = 'tool_call'", [
    session,
    toolUseId,
  ]);
  return row ? { id: num(row.id), toolName: row.tool_name == null ? null : str(row.tool_name) } : null;
}

/** The Task call a subagent file belongs to: by the sidecar's toolUseId, else by the result naming the agent. */
export function findTaskCall(db: Database, session: number, toolUseId?: string, agentId?: string): number | null {
  if (toolUseId) {
    const call = findCall(db, session, toolUseId);
    if (call) return call.id;
  }
  if (agentId) {
    const row = one(
      db,
      `SELECT parent_id FROM events WHERE session = ? AND kind = 'tool_result' AND parent_id IS NOT NULL
         AND json_extract(meta, '$.result.agentId') = ?`,
      [session, agentId],
    );
    if (row) return num(row.parent_id);
  }
  return null;
}

const CONVERSATION_LIST = [...CONVERSATION_KINDS].map((k) => `'${k}'`).join(',');

/**
 * The main-line flags of new events, computed before they are stored, from the batch alone (see
 * main-line.ts for what a fork is). That settles the common cases (a conversation growing at its
 * tip; a first ingest, forks included) without touching stored rows. `olderChanged` is true when
 * the chain from the batch's newest record leaves the batch somewhere other than the stored tip:
 * the user may have rewound to an event ingested earlier (or a batch split parallel calls), and
 * stored flags must be recomputed (refreshMainLine).
 */
export function mainLineOfBatch(
  db: Database,
  session: number,
  events: readonly ParsedEvent[],
): { flags: boolean[]; olderChanged: boolean } {
  const nodes: LineNode[] = [];
  const parentOf = new Map<string, string | null>();
  let leaf: string | null = null;
  for (const ev of events) {
    if (ev.sidechain || !ev.uuid) continue;
    const parent = ev.parentUuid ?? ev.logicalParentUuid ?? null;
    nodes.push({ uuid: ev.uuid, parent, kind: ev.kind });
    if (!parentOf.has(ev.uuid)) parentOf.set(ev.uuid, parent);
    if (CONVERSATION_KINDS.has(ev.kind)) leaf = ev.uuid;
  }
  const flags = events.map(() => true);
  if (leaf === null) return { flags, olderChanged: false };
  const abandoned = abandonedRecords(nodes);
  events.forEach((ev, i) => {
    if (!ev.sidechain && ev.uuid && abandoned.has(ev.uuid)) flags[i] = false;
  });
  const seen = new Set<string>();
  let exit: string | null = leaf;
  while (exit !== null && parentOf.has(exit) && !seen.has(exit)) {
    seen.add(exit);
    exit = parentOf.get(exit)!;
  }
  const storedTip = one(
    db,
    `SELECT uuid FROM events WHERE session = ? AND sidechain = 0 AND uuid IS NOT NULL AND kind IN (${CONVERSATION_LIST})
     ORDER BY seq DESC LIMIT 1`,
    [session],
  );
  const olderChanged = storedTip !== undefined && str(storedTip.uuid) !== exit;
  return { flags, olderChanged };
}

/**
 * Recomputes which stored events lie on the main line (main-line.ts). Returns the lowest seq whose
 * flag changed, or null when none did.
 */
export function refreshMainLine(db: Database, session: number): number | null {
  const rows = all(
    db,
    `SELECT seq, uuid, parent_uuid, kind, main_line FROM events
     WHERE session = ? AND sidechain = 0 AND uuid IS NOT NULL ORDER BY seq`,
    [session],
  );
  const abandoned = abandonedRecords(
    rows.map((row) => ({ uuid: str(row.uuid), parent: row.parent_uuid == null ? null : str(row.parent_uuid), kind: str(row.kind) as EventKind })),
  );
  let lowest: number | null = null;
  const update = db.prepare('UPDATE events SET main_line = ? WHERE session = ? AND seq = ?');
  try {
    for (const row of rows) {
      const main = abandoned.has(str(row.uuid)) ? 0 : 1;
      if (main !== num(row.main_line)) {
        update.run([main, session, num(row.seq)]);
        if (lowest === null || num(row.seq) < lowest) lowest = num(row.seq);
      }
    }
  } finally {
    update.free();
  }
  return lowest;
}

/**
 * Renumbers turns from `fromSeq` on (after the main line changed): only a main-line user prompt
 * starts a turn; subagent events keep the turn of the Task call that spawned them.
 */
export function renumberTurns(db: Database, session: number, fromSeq: number): void {
  let turn = scalar(db, 'SELECT MAX(turn) FROM events WHERE session = ? AND sidechain = 0 AND seq < ?', [
    session,
    fromSeq,
  ]);
  const rows = all(
    db,
    'SELECT id, turn, kind, sidechain, main_line, parent_id, meta, file_id, src_offset FROM events WHERE session = ? AND seq >= ? ORDER BY seq',
    [session, fromSeq],
  );
  const starts = turnStarts(
    rows.map((row) => ({
      kind: str(row.kind),
      sidechain: num(row.sidechain) === 1,
      main: num(row.main_line) === 1,
      meta: json(row.meta, {}),
      // Unique per line across the files of a session.
      line: num(row.file_id) * 2 ** 40 + num(row.src_offset),
    })),
  );
  const turnOf = new Map<number, number>();
  const update = db.prepare('UPDATE events SET turn = ? WHERE id = ?');
  try {
    for (const [i, row] of rows.entries()) {
      const id = num(row.id);
      let t: number;
      if (num(row.sidechain) === 1 && row.parent_id != null) {
        t = turnOf.get(num(row.parent_id)) ?? scalar(db, 'SELECT turn FROM events WHERE id = ?', [num(row.parent_id)]);
      } else if (starts[i]) t = ++turn;
      else t = turn;
      turnOf.set(id, t);
      if (t !== num(row.turn)) update.run([t, id]);
    }
  } finally {
    update.free();
  }
}

/** Rebuilds the turns table rows from `fromTurn` on, from the events. */
export function rebuildTurns(db: Database, session: number, fromTurn: number): void {
  db.run('DELETE FROM turns WHERE session = ? AND idx >= ?', [session, fromTurn]);
  // One grouped pass; the prompt is then found by its seq through the (session, seq) index.
  // (A correlated subquery per turn scanned the whole session once per turn.)
  db.run(
    `INSERT INTO turns (session, idx, first_event_id, last_event_id, started_at, prompt)
     SELECT g.session, g.turn, g.first_id, g.last_id, COALESCE(g.started, ''), COALESCE(substr(p.text, 1, ?), '')
     FROM (SELECT session, turn, MIN(id) AS first_id, MAX(id) AS last_id,
             MIN(CASE WHEN ts <> '' THEN ts END) AS started,
             MIN(CASE WHEN kind = 'user_prompt' AND sidechain = 0 AND main_line = 1 THEN seq END) AS prompt_seq
           FROM events WHERE session = ? AND turn >= ? AND turn > 0 GROUP BY turn) g
     LEFT JOIN events p ON p.session = g.session AND p.seq = g.prompt_seq`,
    [TURN_PROMPT_CHARS, session, fromTurn],
  );
}

/** The turns table holds the start of each prompt (for lists and titles); the event holds it all. */
const TURN_PROMPT_CHARS = 500;

/** The lowest turn touched by events from `fromSeq` on. */
export function turnAtSeq(db: Database, session: number, fromSeq: number): number {
  return scalar(db, 'SELECT MIN(turn) FROM events WHERE session = ? AND seq >= ?', [session, fromSeq]);
}
