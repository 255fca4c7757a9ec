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

export type FromWebviewMessage = ReadyMessage | SelectSessionMessage | RunActionCommand | RequestTimelineRequest | RunRangeActionCommand;

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

/** The selected session's numbers: the context gauge and the mini timeline. */
export interface SessionDetail {
  id: string;
  title: string;
  /** Context fill at the last main-line assistant message (real usage when known, else estimated). */
  contextTokens: number;
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

/** One event of the timeline, with its R1 and R0 text (both cut to a preview length). */
export interface TimelineEvent {
  id: number;
  turn: number;
  lane: TimelineLane;
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
  events: TimelineEvent[];
  /** Events left out because the session has more than the panel is sent (the oldest go first). */
  eventsOmitted: number;
}

/** The answer to `requestTimeline`. */
export interface DidLoadTimelineNotification {
  type: 'didLoadTimeline';
  timeline: TimelineData;
}

export type ToWebviewMessage = DidChangeStateNotification | DidLoadTimelineNotification;

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
    case 'runRangeAction': {
      if (typeof b.action !== 'string' || !(RANGE_ACTIONS as readonly string[]).includes(b.action)) return undefined;
      if (!isSessionId(b.sessionId) || !isTurn(b.fromTurn) || !isTurn(b.toTurn) || b.fromTurn > b.toTurn) return undefined;
      return envelope({ type: 'runRangeAction', action: b.action as RangeAction, sessionId: b.sessionId, fromTurn: b.fromTurn, toTurn: b.toTurn });
    }
    default:
      return undefined;
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

function isTimelineEvent(e: unknown): boolean {
  return (
    isRecord(e) &&
    Number.isSafeInteger(e.id) &&
    isTurn(e.turn) &&
    typeof e.lane === 'string' &&
    (TIMELINE_LANES as readonly string[]).includes(e.lane) &&
    typeof e.kind === 'string' &&
    (e.toolName === null || typeof e.toolName === 'string') &&
    typeof e.tokens === 'number' &&
    e.tokens >= 0 &&
    typeof e.isError === 'boolean' &&
    typeof e.r1 === 'string' &&
    typeof e.r0 === 'string' &&
    (e.omitted === undefined || isOmitted(e.omitted))
  );
}

function isTimeline(t: unknown): t is TimelineData {
  if (!isRecord(t)) return false;
  if (!isSessionId(t.sessionId) || typeof t.title !== 'string' || typeof t.outline !== 'string' || !isTurn(t.eventsOmitted)) return false;
  if (!Array.isArray(t.bands) || !t.bands.every((b) => isRecord(b) && isTurn(b.fromTurn) && isTurn(b.toTurn) && typeof b.summary === 'string')) return false;
  if (!Array.isArray(t.turns) || !t.turns.every((x) => isRecord(x) && isTurn(x.index) && typeof x.tokens === 'number' && typeof x.digest === 'string' && typeof x.archived === 'boolean')) return false;
  return Array.isArray(t.events) && t.events.every(isTimelineEvent);
}

/** The message the host posted, or undefined when it is malformed (the view then keeps its state). */
export function parseToWebview(data: unknown): Envelope<ToWebviewMessage> | undefined {
  if (!isEnvelope(data)) return undefined;
  const b = data.body;
  if (b.type === 'didLoadTimeline') return isTimeline(b.timeline) ? (data as unknown as Envelope<ToWebviewMessage>) : undefined;
  if (b.type !== 'didChangeState') return undefined;
  if (!Array.isArray(b.sessions) || typeof b.budget !== 'number' || typeof b.busy !== 'string') return undefined;
  if (b.mode !== 'sidebar' && b.mode !== 'panel') return undefined;
  if (b.selected !== null && !isRecord(b.selected)) return undefined;
  return data as unknown as Envelope<ToWebviewMessage>;
}
