// The shapes generator2 works with: a session is planned as turns of steps, then written out as
// Claude Code JSONL by emit.ts.

export type FactWhere = 'prompt' | 'assistant' | 'tool_output' | 'edit';

export type FactKind2 =
  | 'constraint'
  | 'preference'
  | 'colleague'
  | 'port'
  | 'latency'
  | 'version'
  | 'rowcount'
  | 'edit_value'
  | 'decision'
  | 'revised'
  | 'error'
  | 'todo';

export interface Fact2 {
  id: string;
  kind: FactKind2;
  question: string;
  /** A short literal that must appear in a compacted output. */
  answer: string;
  /** The superseded value of a fact revised later. */
  stale?: string;
  /** 1-based turn where the stale value first appears. */
  staleTurn?: number;
  where: FactWhere;
  /** 1-based turn where the answer first appears. */
  turn: number;
}

/** One tool call and what came back. */
export interface ToolCall {
  name: string;
  input: Record<string, unknown>;
  /** The tool_result content the model saw. */
  output: string;
  isError?: boolean;
  /** The record's top-level `toolUseResult`. */
  structured?: unknown;
}

export type Step =
  /** One assistant message: optional thinking, optional text, then tool calls (parallel when several). */
  | { kind: 'msg'; think?: string; text?: string; calls?: ToolCall[] }
  /** A `<task-notification>` user record (a background command finished). */
  | { kind: 'notify'; taskId: string; toolUseId?: string; summary: string; outputFile: string }
  /** The person stopped the agent: after a tool call (rejected) or mid-answer. */
  | { kind: 'interrupt'; call?: ToolCall; partial?: string };

export interface TurnPlan {
  prompt: string;
  /** A `<system-reminder>` Claude Code appended to the prompt. */
  reminder?: string;
  steps: Step[];
}

export interface Session2 {
  label: string;
  sessionId: string;
  domain: string;
  lines: string[];
  facts: Fact2[];
}

export interface GenerateOptions2 {
  seed: number | string;
  turns: number;
  /** 'py' | 'go' | 'rs'; by default chosen by the seed. */
  domain?: string;
  label?: string;
}

/** A fact to plant: its literals are chosen up front, its turns are built when reached. */
export interface Plant {
  kind: FactKind2;
  where: FactWhere;
  question: string;
  answer: string;
  stale?: string;
  /** Turns it takes: a stale value goes in the first, the answer in the last. */
  parts: number;
  /** 'end': the last turns of the session. */
  place?: 'end';
  build(part: number): TurnPlan;
}
