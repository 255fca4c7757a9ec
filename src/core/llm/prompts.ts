// Every prompt Loupe sends to a model, in one file (STYLE: lore). The reader of every output is a
// downstream model continuing the work, so each prompt optimizes for a context that answers varied
// later questions (which value is current, why a choice was made, what is still broken), not for an
// event log. Each constant says what it optimizes and shows a bad and a good answer.

/**
 * R2, one turn's digest. Optimizes: exact facts survive (names, numbers, commands, error text,
 * paths) and the turn's outcome is stated, in few tokens. The checker requires the labels Intent,
 * Outcome and Facts, and flags any path that is not in the turn.
 *
 * Bad:  "Intent: The user asked for some changes. Outcome: The assistant made several edits and ran tests."
 *       (no names, no numbers: a later question "what did we set the timeout to?" has no answer)
 * Good: "Intent: raise the checkout timeout. Actions: edited `src/config.ts`; ran `npm test` → ok.
 *        Outcome: CHECKOUT_TIMEOUT_MS is now 8000; tests pass. Decisions: keep retries at 3 because the
 *        gateway rate-limits. Errors: none. Facts: `CHECKOUT_TIMEOUT_MS = 8000`, `npm test`"
 */
export const DIGEST_SYSTEM = `You distill one turn of a coding-agent session for another model that will continue the work.
Write only these labelled lines, in this order, each starting with the label:
Intent: what the user asked for, in one sentence.
Actions: files read and edited, commands run and how they ended.
Outcome: how the turn ended: what works now, what does not.
Decisions: choices made and why (or "none").
Errors: exact error messages still relevant (or "none").
Facts: exact names, values, numbers, commands and paths a later question may need, in backticks.
Rules: copy names, values and paths exactly as they appear in the turn; never mention a file path that is not in the turn; the newest value of a setting wins; no preamble, no closing remarks.`;

export function digestUserPrompt(turn: number, turns: number, renderedTurn: string): string {
  return `Turn ${turn} of ${turns}, stripped (tool output replaced by placeholders):\n\n${renderedTurn}`;
}

/**
 * R3, the working context of the whole session. Optimizes: the current state first and exact, the
 * decisions in force with their reasons, what changed where, what is still open; a timeline short
 * enough that it does not crowd out the rest. The checker requires the five headings and flags any
 * path not in the session.
 *
 * Bad:  "### Session Timeline\n- turn 1: user said hi\n- turn 2: assistant read a file\n…" (an event log,
 *       and the current value of a setting is buried in turn 37)
 * Good: "### Current State\n- Goal now: fix the CSV export for memos with semicolons (turn 41)\n- Last
 *        result: `npm test` passes; EXPORT_BATCH_SIZE is 8000 (revised from 5000)\n### Key Decisions\n-
 *        keyset pagination on (posted_at, id), because OFFSET rescans skipped rows …"
 */
export const WORKING_CONTEXT_SYSTEM = `You write the working context of a coding-agent session for another model that will continue the work.
Answer with exactly these five markdown headings, in this order, each followed by a short bullet list:
### Current State
### Key Decisions
### Technical Changes
### Open Problems
### Session Timeline
Rules: the current state and the newest values come first and exactly; give each decision's reason; name only files that appear in the material; keep exact names, numbers, commands and error messages; write "none" under a heading with nothing to say; no other headings, no preamble.`;

export function workingContextUserPrompt(turns: number, material: string): string {
  return `The session has ${turns} turns. Its turn digests and an extractive working context follow.\n\n${material}`;
}

/**
 * One pass of a progressive read (DESIGN §7). Optimizes: an integration state that converges on a
 * complete, exact answer while every pass reads only its slice. The model edits the state instead of
 * rewriting it, so drift is visible and cheap, and it asks for detail where the slice is too blurry.
 *
 * Bad:  a whole new essay each pass (earlier findings silently lost), or "NO_CHANGE" on a slice that
 *       holds the answer's exact value.
 * Good: "ADD Key Facts: STATEMENT_PAGE_SIZE is 400 (turn 23, revised from 250)\nREPLACE Current State:
 *        the exporter streams to the bucket; tests pass\nDETAIL: 23, 31-33\nCONFIDENCE: 0.6"
 */
export const PROGRESSIVE_SYSTEM = `You read a long coding-agent session in several passes, coarse to fine, and keep an evolving state: named sections of markdown bullets.
Each pass shows you its position in the session, a slice of the session at some compression level, and the current state.
Answer only with edit operations on the state, one per line (a line not starting with an operation continues the previous one):
ADD <Section>: <text>        adds a bullet to the section (creating the section)
REPLACE <Section>: <text>    replaces the whole section with this text
REMOVE <Section>: <text>     removes the bullet with exactly this text
NO_CHANGE                    when the slice adds nothing
Then, optionally:
DETAIL: <turns>              turns that need a sharper read, e.g. 12, 30-33
CONFIDENCE: <0..1>           how completely the state now answers the task
Rules: keep exact names, values, numbers, commands, paths and error messages; a newer value replaces an older one (say so); cite turns as (turn N); never invent a file or a value that is not in the material.`;

export type PassTask = 'outline' | 'refine' | 'add detail' | 'read';

export interface PassPromptParts {
  pass: number;
  passes: number;
  task: PassTask;
  level: string;
  turnFrom: number;
  turnTo: number;
  turns: number;
  percentFrom: number;
  percentTo: number;
  question: string | undefined;
  state: string;
  /** The state's size and its cap, so the model consolidates (REPLACE) before the oldest bullets are dropped. */
  stateTokens: number;
  stateCap: number;
  slice: string;
}

const TASKS: Record<PassTask, string> = {
  outline: 'outline: build the state from this whole-session overview (sections such as Outline, Current State, Key Decisions, Key Facts, Open Problems).',
  refine: 'refine: correct and complete the state with what this slice says; keep what it does not contradict.',
  'add detail': 'add detail: this slice is the sharpest view of a region the state marked as important; add exact values, errors and reasons.',
  read: 'read: the session verbatim, one slice per pass in order; add what this slice establishes (exact values, decisions, errors) and correct what it changes.',
};

/** Every task, for sizing the instructions at their longest. */
export const PASS_TASKS = Object.keys(TASKS) as PassTask[];

/** The user message of one pass: position and task first, then the state, then the slice. */
export function passUserPrompt(p: PassPromptParts): string {
  const goal = p.question ? `Question to answer: ${p.question}\nKeep an "Answer" section that answers it.` : 'Goal: a state from which another model can continue the work.';
  return [
    `Pass ${p.pass} of ${p.passes}. Task: ${TASKS[p.task]}`,
    `This slice: turns ${p.turnFrom}–${p.turnTo} of ${p.turns} (${p.percentFrom}%–${p.percentTo}% of the session), at ${p.level}.`,
    goal,
    `State size: ${p.stateTokens} of at most ${p.stateCap} tokens (over the cap, the oldest bullets of the largest section are dropped: merge with REPLACE first).`,
    `Current state:\n${p.state || '(empty)'}`,
    `Slice:\n${p.slice}`,
  ].join('\n\n');
}
