// Messages between the extension host and its webviews (the sidebar view and the visualiser panel).
// This file must remain free of VS Code and Node.js imports: the webview bundle includes it.
//
// Every message travels in an Envelope. The webview starts the conversation (`ready`); the host
// answers with a `didChangeState` snapshot and sends a new one whenever the sessions change. Each
// side validates what arrives (`parseFromWebview`, `parseToWebview`) before acting on it: a
// webview is untrusted content as far as the host is concerned.

/** The envelope: a request carries a messageId; its reply names it in inReplyTo. */
export interface Envelope<T> {
  messageId: number;
  inReplyTo?: number;
  body: T;
}

// ── from webview ──────────────────────────────────────────────────────────

/** The webview has loaded and asks for its snapshot (also sent when a hidden view is shown again). */
export interface ReadyMessage {
  type: 'ready';
}

/** The user picked a session in the session picker. */
export interface SelectSessionMessage {
  type: 'selectSession';
  sessionId: string;
}

/** The actions the webview's buttons run; each maps to a `loupe.*` command on the host. */
export const WEBVIEW_ACTIONS = ['compact', 'export', 'recall', 'progressiveRead', 'openVisualiser', 'refresh', 'import'] as const;
export type WebviewAction = (typeof WEBVIEW_ACTIONS)[number];

/** The user pressed one of the webview's buttons. `budget` comes from the resolution slider. */
export interface RunActionCommand {
  type: 'runAction';
  action: WebviewAction;
  sessionId?: string;
  budget?: number;
}

/** The visualiser panel asks for the timeline of a session (answered by `didLoadTimeline`). */
export interface RequestTimelineRequest {
  type: 'requestTimeline';
  sessionId: string;
}

/** The timeline asks for the text of one event it shows at R1/R0, hovered or clicked (answered by `didLoadEventDetail`). */
export interface RequestEventDetailRequest {
  type: 'requestEventDetail';
  sessionId: string;
  eventId: number;
}

/** What a range selected on the timeline can be sent to. */
export const RANGE_ACTIONS = ['compact', 'recall', 'progressiveRead'] as const;
export type RangeAction = (typeof RANGE_ACTIONS)[number];

/** The user dragged over turns `fromTurn`..`toTurn` (inclusive) and picked an action for them. */
export interface RunRangeActionCommand {
  type: 'runRangeAction';
  action: RangeAction;
  sessionId: string;
  fromTurn: number;
  toTurn: number;
}

// ── from webview: the actions panel (webview/actions/) ──

/**
 * Turns `fromTurn`..`toTurn` (inclusive) an action is limited to; absent ends are the session's. The
 * actions panel sends these after a range was selected on the timeline.
 */
export interface TurnScope {
  fromTurn?: number;
  toTurn?: number;
}

/** The Compact slider moved: how many tokens would the compaction at `budget` take? (`didCompactPreview`) */
export interface RequestCompactPreviewRequest extends TurnScope {
  type: 'requestCompactPreview';
  sessionId: string;
  budget: number;
}

/** Compact at the slider's budget and open the result (`open`) or copy it (`clipboard`). */
export interface RunCompactCommand extends TurnScope {
  type: 'runCompact';
  target: 'open' | 'clipboard';
  sessionId: string;
  budget: number;
}

/** Recall: search the session (answered by `didRecall`). The graph's double-click sends it too. */
export interface RequestRecallRequest extends TurnScope {
  type: 'requestRecall';
  sessionId: string;
  query: string;
}

/** Open the original behind a recall handle (`e123` an event, `u45` a unit). */
export interface OpenRecallHitCommand {
  type: 'openRecallHit';
  handle: string;
}

/** The plan of a progressive read from `fromTurn` for a model window (answered by `didPlanRead`). */
export interface RequestReadPlanRequest {
  type: 'requestReadPlan';
  sessionId: string;
  window: number;
  fromTurn?: number;
  question?: string;
}

/** Run the planned read with the configured model (`didProgressPass` per pass, then `didFinishRead`). */
export interface RunProgressiveReadCommand {
  type: 'runProgressiveRead';
  sessionId: string;
  window: number;
  fromTurn?: number;
  question?: string;
}

/** Stop the running progressive read (the passes done so far are kept). */
export interface CancelProgressiveReadCommand {
  type: 'cancelProgressiveRead';
}

export type ActionsFromWebviewMessage =
  | RequestCompactPreviewRequest
  | RunCompactCommand
  | RequestRecallRequest
  | OpenRecallHitCommand
  | RequestReadPlanRequest
  | RunProgressiveReadCommand
  | CancelProgressiveReadCommand;

/** The visualiser panel asks for the semantic graph of a session (answered by `didLoadGraph`). */
export interface RequestGraphRequest {
  type: 'requestGraph';
  sessionId: string;
}

export type FromWebviewMessage =
  | ReadyMessage
  | SelectSessionMessage
  | RunActionCommand
  | RequestTimelineRequest
  | RequestEventDetailRequest
  | RunRangeActionCommand
  | RequestGraphRequest
  | ActionsFromWebviewMessage;

// ── to webview ────────────────────────────────────────────────────────────

export interface SessionItem {
  id: string;
  title: string;
  cwd: string;
  turns: number;
  tokens: number;
  updatedAt: string;
  /** The session's cwd is inside one of the window's workspace folders. */
  inWorkspace: boolean;
}

/**
 * Where a context fill comes from: `usage`, the last API call's own numbers; `calibrated`, Loupe's
 * estimate of what came in since that call (or a compaction), calibrated on the session's usage;
 * `visible`, the visible events alone (no usage in the transcript: a lower bound without the system
 * prompt, tools and attachments).
 */
export type ContextSource = 'usage' | 'calibrated' | 'visible';

/** The selected session's numbers: the context gauge and the mini timeline. */
export interface SessionDetail {
  id: string;
  title: string;
  /** The context fill now, after the session's last event. */
  contextTokens: number;
  contextSource: ContextSource;
  contextWindow: number;
  /** Tokens of the session's events by kind (user, assistant, tool_result, …), largest first. */
  byKind: { kind: string; tokens: number }[];
  /** One bar per turn of the mini timeline. */
  turns: { index: number; tokens: number; prompt: string }[];
}

/** The whole state the view paints from; sent after `ready` and after every change. */
export interface DidChangeStateNotification {
  type: 'didChangeState';
  sessions: SessionItem[];
  selected: SessionDetail | null;
  /** The `loupe.tokenBudget` setting: the slider's default. */
  budget: number;
  /** A background job in progress ("Ingesting 3/12 files…"), or empty. */
  busy: string;
  /** 'sidebar' or 'panel': the panel shows the full timeline. */
  mode: 'sidebar' | 'panel';
}

/** The lanes of the timeline, top to bottom: one per kind of event (tool calls and results by tool). */
export const TIMELINE_LANES = ['prompt', 'assistant', 'thinking', 'tool', 'error', 'subagent', 'compaction', 'system'] as const;
export type TimelineLane = (typeof TIMELINE_LANES)[number];

/** A tool output left out at R1: what the placeholder says, and the first and last lines of the original. */
export interface OmittedOutput {
  /** The R1 placeholder, e.g. `[output omitted — Read src/db.ts: 142 lines, errors: no — recall e512]`. */
  placeholder: string;
  toolName: string;
  lines: number;
  isError: boolean;
  firstLines: string[];
  lastLines: string[];
  /** The recall handle, `e<id>`. */
  handle: string;
}

/** Bits of `TimelineEvents.flags`. */
export const EVENT_FLAGS = { error: 1, omitted: 2 } as const;

/**
 * The events of a timeline, lean and one array per field: event i is id[i], turn[i], lane[i], …, in
 * session order. 50,000 events travel as six flat arrays rather than 50,000 objects, and no text
 * beyond a short label: the R1/R0 text of an event is fetched when it is looked at (`requestEventDetail`).
 */
export interface TimelineEvents {
  id: number[];
  turn: number[];
  /** Index into TIMELINE_LANES. */
  lane: number[];
  tokens: number[];
  /** EVENT_FLAGS bits: an error; a tool output left out at R1. */
  flags: number[];
  /** A short label: the tool and its main argument, or the first words of the text. */
  label: string[];
}

/** One event at R1 and R0 (both cut to a preview length), with what its placeholder leaves out. */
export interface EventDetail {
  id: number;
  turn: number;
  kind: string;
  toolName: string | null;
  tokens: number;
  isError: boolean;
  /** R1: stripped (a tool output becomes its placeholder; thinking is empty). */
  r1: string;
  /** R0: the stored text, verbatim up to the preview length. */
  r0: string;
  omitted?: OmittedOutput;
}

/** The context fill over the session, drawn above the lanes: one point per main-line message. */
export interface ContextFill {
  /** Counted by Loupe's tokenizer because the transcript has no API `usage` (else the API's numbers). */
  estimated: boolean;
  /** Each point's event, as an index into the timeline's events. */
  eventIndex: number[];
  tokens: number[];
}

/** A compaction of the agent's own context (a compact boundary in the transcript). */
export interface TimelineCompaction {
  /** The boundary's event, as an index into the timeline's events. */
  eventIndex: number;
  /** The context fill just before it, when the transcript says. */
  preTokens: number | null;
}

/** One turn at R2: its digest. */
export interface TimelineTurn {
  index: number;
  tokens: number;
  /** The R2 digest as plain text (intent, actions, outcome, …). */
  digest: string;
  /** The digest is archived into the working context (R3). */
  archived: boolean;
}

/** An R3 band: a period of the working context's Session Timeline. */
export interface TimelineBand {
  fromTurn: number;
  toTurn: number;
  summary: string;
}

export interface TimelineData {
  sessionId: string;
  title: string;
  /** R4: the outline, a few lines. */
  outline: string;
  /** R3: the working context's periods, as bands over their turns. */
  bands: TimelineBand[];
  turns: TimelineTurn[];
  events: TimelineEvents;
  /** Events left out because the session has more than the panel is sent (the oldest go first). */
  eventsOmitted: number;
  contextFill: ContextFill;
  /** The `loupe.contextWindow` setting: the limit line over the fill curve. */
  contextWindow: number;
  compactions: TimelineCompaction[];
}

/** The answer to `requestTimeline`. */
export interface DidLoadTimelineNotification {
  type: 'didLoadTimeline';
  timeline: TimelineData;
}

/** The answer to `requestEventDetail`; `detail` is null when the session has no such event. */
export interface DidLoadEventDetailNotification {
  type: 'didLoadEventDetail';
  sessionId: string;
  eventId: number;
  detail: EventDetail | null;
}

// ── to webview: the actions panel ──

/** What the compaction at a budget would be: its size and how many turns each level got. */
export interface DidCompactPreviewNotification extends TurnScope {
  type: 'didCompactPreview';
  sessionId: string;
  budget: number;
  /** Tokens of the result (≤ budget); 0 with an error. */
  tokens: number;
  /** Tokens of the session (or the range) at R0, for the ratio. */
  sessionTokens: number;
  /** What the top of the document is: the R3 working context or, on a tight budget, the R4 outline. */
  header: 'R3' | 'R4' | '';
  /** Turns shown at each level; `none`: represented by the working context alone. */
  levels: { none: number; R2: number; R1: number; R0: number };
  /** Why there is no result (e.g. the budget is too small). */
  error?: string;
}

export const HIT_LEVELS = ['R0', 'R2', 'R3', 'R4'] as const;

export interface RecallHitItem {
  /** `e123` an event, `u45` a unit. */
  handle: string;
  turn: number;
  level: (typeof HIT_LEVELS)[number];
  snippet: string;
  score: number;
  archived: boolean;
}

/** The answer to `requestRecall`. */
export interface DidRecallNotification extends TurnScope {
  type: 'didRecall';
  query: string;
  hits: RecallHitItem[];
  error?: string;
}

export interface ReadPlanPass {
  pass: number;
  task: string;
  /** 'R4+R3', 'R2', 'R1' or 'R0'. */
  level: string;
  fromTurn: number;
  toTurn: number;
  sliceTokens: number;
  /** The call's prompt with the state at its cap. */
  promptTokens: number;
}

/** A progressive read's schedule (DESIGN §7), shown before it runs. */
export interface ReadPlanItem {
  window: number;
  fromTurn: number;
  toTurn: number;
  /** 'dense' when the progressive passes would read more than the whole verbatim session: then the passes are that. */
  mode: 'progressive' | 'dense';
  passes: ReadPlanPass[];
  totalRead: number;
  /** What the progressive passes would read (the same as totalRead when the mode is progressive). */
  progressiveRead: number;
  dense: { tokens: number; calls: number };
}

/** The answer to `requestReadPlan`: the plan, and whether (and how) it can run. */
export interface DidPlanReadNotification {
  type: 'didPlanRead';
  sessionId: string;
  plan: ReadPlanItem | null;
  /** The `loupe.distiller` setting. */
  distiller: string;
  /** A model is configured: Run is offered. */
  canRun: boolean;
  /** What running needs or uses, in a sentence ("Running needs a model: set loupe.distiller …"). */
  runHint: string;
  error?: string;
}

/** A pass of the running read landed: the sharpest level each turn has been read at so far. */
export interface DidProgressPassNotification {
  type: 'didProgressPass';
  pass: number;
  of: number;
  /** [turn, level 0–4] pairs. */
  levels: [number, number][];
}

export const READ_STATUSES = ['done', 'stopped-early', 'cancelled', 'failed'] as const;

/** The read ended; its result was opened as a document when it has one. */
export interface DidFinishReadNotification {
  type: 'didFinishRead';
  status: (typeof READ_STATUSES)[number];
  message: string;
}

/** A range action of the timeline reached the host: the actions panel scopes that action to the range. */
export interface DidScopeActionNotification {
  type: 'didScopeAction';
  action: RangeAction;
  sessionId: string;
  fromTurn: number;
  toTurn: number;
}

export type ActionsToWebviewMessage =
  | DidCompactPreviewNotification
  | DidRecallNotification
  | DidPlanReadNotification
  | DidProgressPassNotification
  | DidFinishReadNotification
  | DidScopeActionNotification;

// ── to webview: the semantic graph (webview/graph/) ──

/** The node types the graph view draws (tools are left out: every turn uses them). */
export const GRAPH_NODE_TYPES = ['file', 'symbol', 'command', 'error', 'decision', 'turn'] as const;
export type GraphNodeType = (typeof GRAPH_NODE_TYPES)[number];

export interface GraphNodeItem {
  id: number;
  type: GraphNodeType;
  /** The node's name (a path, a symbol, a command, an error signature, a decision, `turn N`): transcript text. */
  label: string;
  /** Summed weight of its edges in the session's graph: the node's size. */
  weight: number;
  /** The session's turns it touches, ascending: what the timeline highlights. */
  turns: number[];
}

export interface GraphEdgeItem {
  source: number;
  target: number;
  kind: string;
  weight: number;
}

/** A session's graph, cut to what the view draws; `omitted` says what was left out, by type. */
export interface GraphData {
  sessionId: string;
  nodes: GraphNodeItem[];
  edges: GraphEdgeItem[];
  omitted: { type: GraphNodeType; count: number }[];
  omittedEdges: number;
}

/** The answer to `requestGraph`. */
export interface DidLoadGraphNotification {
  type: 'didLoadGraph';
  graph: GraphData;
}

/** The host could not build what `requestTimeline` or `requestGraph` asked for: the view says so. */
export interface DidFailLoadNotification {
  type: 'didFailLoad';
  what: 'timeline' | 'graph';
  sessionId: string;
  message: string;
}

export type ToWebviewMessage =
  | DidChangeStateNotification
  | DidLoadTimelineNotification
  | DidLoadEventDetailNotification
  | DidLoadGraphNotification
  | DidFailLoadNotification
  | ActionsToWebviewMessage;

/** A failure's message, as long as the view shows it. */
export const MAX_FAILURE_LENGTH = 500;

// ── validation ────────────────────────────────────────────────────────────

const MAX_ID_LENGTH = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH && /^[\w.:-]+$/.test(value);
}

function isEnvelope(data: unknown): data is Envelope<Record<string, unknown>> {
  return (
    isRecord(data) &&
    Number.isSafeInteger(data.messageId) &&
    (data.inReplyTo === undefined || Number.isSafeInteger(data.inReplyTo)) &&
    isRecord(data.body) &&
    typeof data.body.type === 'string'
  );
}

/** The message a webview posted, or undefined when it is not one the protocol knows. */
export function parseFromWebview(data: unknown): Envelope<FromWebviewMessage> | undefined {
  if (!isEnvelope(data)) return undefined;
  const b = data.body;
  const envelope = (body: FromWebviewMessage): Envelope<FromWebviewMessage> => ({ messageId: data.messageId, body });
  switch (b.type) {
    case 'ready':
      return envelope({ type: 'ready' });
    case 'selectSession':
      return isSessionId(b.sessionId) ? envelope({ type: 'selectSession', sessionId: b.sessionId }) : undefined;
    case 'runAction': {
      if (typeof b.action !== 'string' || !(WEBVIEW_ACTIONS as readonly string[]).includes(b.action)) return undefined;
      if (b.sessionId !== undefined && !isSessionId(b.sessionId)) return undefined;
      if (b.budget !== undefined && !(Number.isSafeInteger(b.budget) && (b.budget as number) > 0)) return undefined;
      const msg: RunActionCommand = { type: 'runAction', action: b.action as WebviewAction };
      if (b.sessionId !== undefined) msg.sessionId = b.sessionId;
      if (b.budget !== undefined) msg.budget = b.budget as number;
      return envelope(msg);
    }
    case 'requestTimeline':
      return isSessionId(b.sessionId) ? envelope({ type: 'requestTimeline', sessionId: b.sessionId }) : undefined;
    case 'requestEventDetail':
      return isSessionId(b.sessionId) && isEventId(b.eventId) ? envelope({ type: 'requestEventDetail', sessionId: b.sessionId, eventId: b.eventId }) : undefined;
    case 'runRangeAction': {
      if (typeof b.action !== 'string' || !(RANGE_ACTIONS as readonly string[]).includes(b.action)) return undefined;
      if (!isSessionId(b.sessionId) || !isTurn(b.fromTurn) || !isTurn(b.toTurn) || b.fromTurn > b.toTurn) return undefined;
      return envelope({ type: 'runRangeAction', action: b.action as RangeAction, sessionId: b.sessionId, fromTurn: b.fromTurn, toTurn: b.toTurn });
    }
    case 'requestGraph':
      return isSessionId(b.sessionId) ? envelope({ type: 'requestGraph', sessionId: b.sessionId }) : undefined;
    default: {
      const action = parseActionFromWebview(b);
      return action ? envelope(action) : undefined;
    }
  }
}

function isTurn(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isOmitted(o: unknown): boolean {
  return (
    isRecord(o) &&
    typeof o.placeholder === 'string' &&
    typeof o.toolName === 'string' &&
    typeof o.lines === 'number' &&
    typeof o.isError === 'boolean' &&
    isStringArray(o.firstLines) &&
    isStringArray(o.lastLines) &&
    typeof o.handle === 'string'
  );
}

function isEventId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

function isTokenCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isEventDetail(e: unknown): e is EventDetail {
  return (
    isRecord(e) &&
    isEventId(e.id) &&
    isTurn(e.turn) &&
    typeof e.kind === 'string' &&
    (e.toolName === null || typeof e.toolName === 'string') &&
    isTokenCount(e.tokens) &&
    typeof e.isError === 'boolean' &&
    typeof e.r1 === 'string' &&
    typeof e.r0 === 'string' &&
    (e.omitted === undefined || isOmitted(e.omitted))
  );
}

/** Every column is an array of the same length holding its type (a loop, not `every`: 50,000 events). */
function isTimelineEvents(e: unknown): e is TimelineEvents {
  if (!isRecord(e)) return false;
  const { id, turn, lane, tokens, flags, label } = e;
  if (![id, turn, lane, tokens, flags, label].every((c) => Array.isArray(c) && c.length === (id as unknown[]).length)) return false;
  const n = (id as unknown[]).length;
  for (let i = 0; i < n; i++) {
    const l = (lane as unknown[])[i];
    const f = (flags as unknown[])[i];
    if (!isEventId((id as unknown[])[i]) || !isTurn((turn as unknown[])[i]) || !isTokenCount((tokens as unknown[])[i])) return false;
    if (!Number.isInteger(l) || (l as number) < 0 || (l as number) >= TIMELINE_LANES.length) return false;
    if (!Number.isInteger(f) || (f as number) < 0 || (f as number) > 3) return false;
    if (typeof (label as unknown[])[i] !== 'string') return false;
  }
  return true;
}

function isEventIndex(value: unknown, events: number): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) < events;
}

function isContextFill(c: unknown, events: number): boolean {
  if (!isRecord(c) || typeof c.estimated !== 'boolean' || !Array.isArray(c.eventIndex) || !Array.isArray(c.tokens)) return false;
  if (c.eventIndex.length !== c.tokens.length) return false;
  for (let i = 0; i < c.tokens.length; i++) if (!isEventIndex(c.eventIndex[i], events) || !isTokenCount(c.tokens[i])) return false;
  return true;
}

function isTimeline(t: unknown): t is TimelineData {
  if (!isRecord(t)) return false;
  if (!isSessionId(t.sessionId) || typeof t.title !== 'string' || typeof t.outline !== 'string' || !isTurn(t.eventsOmitted)) return false;
  if (!Array.isArray(t.bands) || !t.bands.every((b) => isRecord(b) && isTurn(b.fromTurn) && isTurn(b.toTurn) && typeof b.summary === 'string')) return false;
  if (!Array.isArray(t.turns) || !t.turns.every((x) => isRecord(x) && isTurn(x.index) && typeof x.tokens === 'number' && typeof x.digest === 'string' && typeof x.archived === 'boolean')) return false;
  if (!isTimelineEvents(t.events)) return false;
  const n = t.events.id.length;
  if (!Number.isSafeInteger(t.contextWindow) || (t.contextWindow as number) <= 0 || !isContextFill(t.contextFill, n)) return false;
  return Array.isArray(t.compactions) && t.compactions.every((c) => isRecord(c) && isEventIndex(c.eventIndex, n) && (c.preTokens === null || isTokenCount(c.preTokens)));
}

function isGraphNode(n: unknown): n is GraphNodeItem {
  return (
    isRecord(n) &&
    Number.isSafeInteger(n.id) &&
    typeof n.type === 'string' &&
    (GRAPH_NODE_TYPES as readonly string[]).includes(n.type) &&
    typeof n.label === 'string' &&
    typeof n.weight === 'number' &&
    Number.isFinite(n.weight) &&
    n.weight >= 0 &&
    Array.isArray(n.turns) &&
    n.turns.every(isTurn)
  );
}

/** A graph whose edges join its own nodes: d3-force throws on an edge to a node it does not have. */
function isGraph(g: unknown): g is GraphData {
  if (!isRecord(g) || !isSessionId(g.sessionId) || !isCount(g.omittedEdges)) return false;
  if (!Array.isArray(g.nodes) || !g.nodes.every(isGraphNode)) return false;
  const ids = new Set(g.nodes.map((n) => n.id));
  if (ids.size !== g.nodes.length) return false;
  if (!Array.isArray(g.omitted) || !g.omitted.every((o) => isRecord(o) && (GRAPH_NODE_TYPES as readonly string[]).includes(o.type as string) && isCount(o.count))) return false;
  return (
    Array.isArray(g.edges) &&
    g.edges.every(
      (e) =>
        isRecord(e) &&
        ids.has(e.source as number) &&
        ids.has(e.target as number) &&
        typeof e.kind === 'string' &&
        typeof e.weight === 'number' &&
        Number.isFinite(e.weight) &&
        e.weight >= 0,
    )
  );
}

/** The message the host posted, or undefined when it is malformed (the view then keeps its state). */
export function parseToWebview(data: unknown): Envelope<ToWebviewMessage> | undefined {
  if (!isEnvelope(data)) return undefined;
  const b = data.body;
  if (b.type === 'didLoadTimeline') return isTimeline(b.timeline) ? (data as unknown as Envelope<ToWebviewMessage>) : undefined;
  if (b.type === 'didLoadEventDetail') {
    const ok = isSessionId(b.sessionId) && isEventId(b.eventId) && (b.detail === null || (isEventDetail(b.detail) && b.detail.id === b.eventId));
    return ok ? (data as unknown as Envelope<ToWebviewMessage>) : undefined;
  }
  if (b.type === 'didLoadGraph') return isGraph(b.graph) ? (data as unknown as Envelope<ToWebviewMessage>) : undefined;
  if (b.type === 'didFailLoad') {
    const ok = (b.what === 'timeline' || b.what === 'graph') && isSessionId(b.sessionId) && typeof b.message === 'string' && b.message.length <= MAX_FAILURE_LENGTH;
    return ok ? (data as unknown as Envelope<ToWebviewMessage>) : undefined;
  }
  if ((ACTION_REPLIES as readonly string[]).includes(b.type as string)) return isActionReply(b) ? (data as unknown as Envelope<ToWebviewMessage>) : undefined;
  if (b.type !== 'didChangeState') return undefined;
  if (!Array.isArray(b.sessions) || typeof b.budget !== 'number' || typeof b.busy !== 'string') return undefined;
  if (b.mode !== 'sidebar' && b.mode !== 'panel') return undefined;
  if (b.selected !== null && !isRecord(b.selected)) return undefined;
  return data as unknown as Envelope<ToWebviewMessage>;
}

// ── validation: the actions panel ─────────────────────────────────────────

/** A query or a question: long enough for a graph node's label (a decision, an error). */
const MAX_QUERY_LENGTH = 1000;
const MAX_WINDOW = 2_000_000;

function isBudget(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0 && (value as number) <= MAX_WINDOW;
}

/** The optional fromTurn/toTurn of a message, or undefined when either is malformed or they are reversed. */
function scopeOf(b: Record<string, unknown>): TurnScope | undefined {
  if (b.fromTurn !== undefined && !isTurn(b.fromTurn)) return undefined;
  if (b.toTurn !== undefined && !isTurn(b.toTurn)) return undefined;
  if (isTurn(b.fromTurn) && isTurn(b.toTurn) && b.fromTurn > b.toTurn) return undefined;
  const scope: TurnScope = {};
  if (b.fromTurn !== undefined) scope.fromTurn = b.fromTurn as number;
  if (b.toTurn !== undefined) scope.toTurn = b.toTurn as number;
  return scope;
}

function isQuery(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_QUERY_LENGTH;
}

/** The actions panel's messages, each rebuilt from its known fields only. */
function parseActionFromWebview(b: Record<string, unknown>): ActionsFromWebviewMessage | undefined {
  switch (b.type) {
    case 'requestCompactPreview':
    case 'runCompact': {
      const scope = scopeOf(b);
      if (!scope || !isSessionId(b.sessionId) || !isBudget(b.budget)) return undefined;
      if (b.type === 'requestCompactPreview') return { type: 'requestCompactPreview', sessionId: b.sessionId, budget: b.budget, ...scope };
      if (b.target !== 'open' && b.target !== 'clipboard') return undefined;
      return { type: 'runCompact', target: b.target, sessionId: b.sessionId, budget: b.budget, ...scope };
    }
    case 'requestRecall': {
      const scope = scopeOf(b);
      if (!scope || !isSessionId(b.sessionId) || !isQuery(b.query)) return undefined;
      return { type: 'requestRecall', sessionId: b.sessionId, query: b.query, ...scope };
    }
    case 'openRecallHit':
      return typeof b.handle === 'string' && /^[eu]\d{1,15}$/.test(b.handle) ? { type: 'openRecallHit', handle: b.handle } : undefined;
    case 'requestReadPlan':
    case 'runProgressiveRead': {
      if (!isSessionId(b.sessionId) || !isBudget(b.window)) return undefined;
      if (b.fromTurn !== undefined && !isTurn(b.fromTurn)) return undefined;
      if (b.question !== undefined && !isQuery(b.question)) return undefined;
      const msg: RequestReadPlanRequest | RunProgressiveReadCommand = { type: b.type, sessionId: b.sessionId, window: b.window };
      if (b.fromTurn !== undefined) msg.fromTurn = b.fromTurn as number;
      if (b.question !== undefined) msg.question = b.question as string;
      return msg;
    }
    case 'cancelProgressiveRead':
      return { type: 'cancelProgressiveRead' };
    default:
      return undefined;
  }
}

const ACTION_REPLIES = ['didCompactPreview', 'didRecall', 'didPlanRead', 'didProgressPass', 'didFinishRead', 'didScopeAction'] as const;

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function isRecallHit(h: unknown): boolean {
  return (
    isRecord(h) &&
    typeof h.handle === 'string' &&
    /^[eu]\d+$/.test(h.handle) &&
    isTurn(h.turn) &&
    typeof h.level === 'string' &&
    (HIT_LEVELS as readonly string[]).includes(h.level) &&
    typeof h.snippet === 'string' &&
    typeof h.score === 'number' &&
    Number.isFinite(h.score) &&
    typeof h.archived === 'boolean'
  );
}

function isPlanPass(p: unknown): boolean {
  return (
    isRecord(p) &&
    isCount(p.pass) &&
    typeof p.task === 'string' &&
    typeof p.level === 'string' &&
    isTurn(p.fromTurn) &&
    isTurn(p.toTurn) &&
    isCount(p.sliceTokens) &&
    isCount(p.promptTokens)
  );
}

function isPlan(p: unknown): boolean {
  return (
    isRecord(p) &&
    isCount(p.window) &&
    isTurn(p.fromTurn) &&
    isTurn(p.toTurn) &&
    Array.isArray(p.passes) &&
    p.passes.every(isPlanPass) &&
    (p.mode === 'progressive' || p.mode === 'dense') &&
    isCount(p.totalRead) &&
    isCount(p.progressiveRead) &&
    isRecord(p.dense) &&
    isCount(p.dense.tokens) &&
    isCount(p.dense.calls)
  );
}

/** The actions panel's replies, field by field. */
function isActionReply(b: Record<string, unknown>): boolean {
  switch (b.type) {
    case 'didCompactPreview': {
      const l = b.levels;
      return (
        isSessionId(b.sessionId) &&
        scopeOf(b) !== undefined &&
        isCount(b.budget) &&
        isCount(b.tokens) &&
        isCount(b.sessionTokens) &&
        (b.header === 'R3' || b.header === 'R4' || b.header === '') &&
        isRecord(l) &&
        isCount(l.none) &&
        isCount(l.R2) &&
        isCount(l.R1) &&
        isCount(l.R0) &&
        isOptionalString(b.error)
      );
    }
    case 'didRecall':
      return typeof b.query === 'string' && scopeOf(b) !== undefined && Array.isArray(b.hits) && b.hits.every(isRecallHit) && isOptionalString(b.error);
    case 'didPlanRead':
      return (
        isSessionId(b.sessionId) &&
        (b.plan === null || isPlan(b.plan)) &&
        typeof b.distiller === 'string' &&
        typeof b.canRun === 'boolean' &&
        typeof b.runHint === 'string' &&
        isOptionalString(b.error)
      );
    case 'didProgressPass':
      return (
        isCount(b.pass) &&
        isCount(b.of) &&
        Array.isArray(b.levels) &&
        b.levels.every((x) => Array.isArray(x) && x.length === 2 && isTurn(x[0]) && Number.isInteger(x[1]) && (x[1] as number) >= 0 && (x[1] as number) <= 4)
      );
    case 'didFinishRead':
      return typeof b.status === 'string' && (READ_STATUSES as readonly string[]).includes(b.status) && typeof b.message === 'string';
    case 'didScopeAction':
      return (
        typeof b.action === 'string' &&
        (RANGE_ACTIONS as readonly string[]).includes(b.action) &&
        isSessionId(b.sessionId) &&
        isTurn(b.fromTurn) &&
        isTurn(b.toTurn) &&
        b.fromTurn <= b.toTurn
      );
    default:
      return false;
  }
}
