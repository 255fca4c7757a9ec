// R2: the extractive turn digest (gen-0). Deterministic, offline, and it never invents: every
// word comes from the turn (the labels are Loupe's). What a later reader needs of a turn: what
// was asked, what was done, how it ended, what was decided, what broke, and the exact facts.
import type { StoredEvent } from '../model';
import { type Block, type Inline, code, list, paragraph, raw, strong, text } from '../markdown';
import { shortPath, type SessionAnalysis } from './analysis';
import { assignments, condense, cutWords, decisions, errorKey, exactFacts, exitCode } from './extract';
import { anchor } from './strip';

/** Bumped when the digest's shape or rules change: stored digests of another version are remade. */
export const DIGEST_VERSION = 3; // 3: values are whole tokens with identifier-like names; markdown escapes only line starts

export interface TurnDigest {
  version: number;
  turn: number;
  eventFrom: number;
  eventTo: number;
  startedAt: string;
  /** The prompt's event (the anchor of the turn). */
  promptId: number | null;
  intent: string;
  read: string[];
  edited: { path: string; added: number; removed: number }[];
  commands: { command: string; exit: number | null; id: number }[];
  otherTools: string[];
  outcome: string;
  decisions: string[];
  errors: { signature: string; count: number; id: number }[];
  facts: string[];
  /** Constants set in this turn (prompt, answer or edited code), last one per name. */
  values: { name: string; text: string; id: number }[];
  subagents: number;
}

const MAX_DECISIONS = 6;
const MAX_FACTS = 10;

export function digestTurn(turn: number, events: readonly StoredEvent[], analysis: SessionAnalysis): TurnDigest {
  const cwd = analysis.cwd;
  const prompt = events.find((e) => e.kind === 'user_prompt');
  const texts = events.filter((e) => e.kind === 'assistant_text');
  const read = new Set<string>();
  const edited = new Map<string, { added: number; removed: number }>();
  const commands: TurnDigest['commands'] = [];
  const otherTools = new Map<string, number>();
  const errors = new Map<string, TurnDigest['errors'][number]>();

  for (const ev of events) {
    if (ev.kind !== 'tool_result') continue;
    const call = analysis.callOf.get(ev.id);
    const tool = ev.toolName ?? call?.toolName ?? 'tool';
    const result = (ev.meta.result ?? {}) as { added?: number; removed?: number; exitCode?: number };
    const file = ev.paths[0] ?? call?.paths[0];
    if ((tool === 'Read' || tool === 'NotebookRead') && file) read.add(shortPath(file, cwd));
    else if (['Edit', 'MultiEdit', 'Write', 'NotebookEdit'].includes(tool) && file && !ev.isError) {
      const key = shortPath(file, cwd);
      const sum = edited.get(key) ?? { added: 0, removed: 0 };
      sum.added += result.added ?? 0;
      sum.removed += result.removed ?? 0;
      edited.set(key, sum);
    } else if (tool === 'Bash' && call) {
      const command = (call.meta.input as { command?: string } | undefined)?.command ?? call.text.replace(/^Bash:\s*/, '');
      const exit = typeof result.exitCode === 'number' ? result.exitCode : (exitCode(ev.text) ?? (ev.isError ? 1 : 0));
      commands.push({ command: cutWords(command.split('\n')[0] ?? '', 120), exit, id: ev.id });
    } else {
      otherTools.set(tool, (otherTools.get(tool) ?? 0) + 1);
    }
    const signature = analysis.errorOf.get(ev.id);
    if (signature) {
      const key = errorKey(signature);
      const seen = errors.get(key);
      if (seen) seen.count++;
      else errors.set(key, { signature, count: 1, id: ev.id });
    }
  }

  const values = new Map<string, TurnDigest['values'][number]>();
  for (const ev of events) {
    let source = '';
    if (ev.kind === 'user_prompt' || ev.kind === 'assistant_text') source = ev.text;
    else if (ev.kind === 'tool_call' && ['Edit', 'MultiEdit', 'Write'].includes(ev.toolName ?? '')) {
      const input = (ev.meta.input ?? {}) as { new_string?: string; content?: string; edits?: { new_string?: string }[] };
      source = [input.new_string ?? '', input.content ?? '', ...(input.edits ?? []).map((e) => e.new_string ?? '')].join('\n');
    }
    for (const a of assignments(source)) {
      values.delete(a.name); // re-inserted last: the order is the order of the latest setting
      values.set(a.name, { ...a, id: ev.id });
    }
  }
  const prose = [prompt?.text ?? '', ...texts.map((e) => e.text)].join('\n\n');
  const decided: string[] = [];
  for (const d of decisions(prose)) if (!decided.includes(d) && decided.length < MAX_DECISIONS) decided.push(cutWords(d, 300));
  const factSource = [prose, ...commands.map((c) => '`' + c.command + '`'), ...[...errors.values()].map((e) => e.signature)].join('\n');
  const last = texts[texts.length - 1];
  return {
    version: DIGEST_VERSION,
    turn,
    eventFrom: events[0]?.id ?? 0,
    eventTo: events[events.length - 1]?.id ?? 0,
    startedAt: events.find((e) => e.ts)?.ts ?? '',
    promptId: prompt?.id ?? null,
    intent: prompt ? condense(prompt.text, 300) : '',
    read: [...read],
    edited: [...edited].map(([path, sum]) => ({ path, ...sum })),
    commands,
    otherTools: [...otherTools].map(([tool, n]) => (n > 1 ? `${tool} ×${n}` : tool)),
    outcome: last ? condense(last.text, 300) : '',
    decisions: decided,
    errors: [...errors.values()],
    facts: exactFacts(factSource, MAX_FACTS),
    values: [...values.values()],
    subagents: (analysis.subagents.get(turn) ?? []).length,
  };
}

export function renderDigest(d: TurnDigest): Block[] {
  const items: Inline[][] = [];
  const label = (name: string) => strong(raw(`${name}:`));
  if (d.intent) items.push([label('Intent'), raw(' '), text(d.intent)]);
  const actions = digestActions(d);
  if (actions.length > 0) items.push([label('Actions'), raw(' '), ...join(actions, raw('; '))]);
  if (d.outcome) items.push([label('Outcome'), raw(' '), text(d.outcome)]);
  if (d.decisions.length > 0) items.push([label('Decisions'), raw(' '), ...join(d.decisions.map((s) => [text(s)]), raw(' · '))]);
  if (d.errors.length > 0) {
    const errs = d.errors.map((e) => [code(e.signature), raw(`${e.count > 1 ? ` (×${e.count})` : ''} ${anchor(e.id)}`)]);
    items.push([label('Errors'), raw(' '), ...join(errs, raw('; '))]);
  }
  if (d.values.length > 0) items.push([label('Values'), raw(' '), ...join(d.values.map((v) => [code(v.text)]), raw(', '))]);
  if (d.facts.length > 0) items.push([label('Facts'), raw(' '), ...join(d.facts.map((f) => [factInline(f)]), raw(', '))]);
  const when = d.startedAt ? ` (${d.startedAt.slice(0, 16).replace('T', ' ')})` : '';
  return [paragraph(strong(raw(`Turn ${d.turn}`)), raw(`${when} ${anchor(d.promptId ?? d.eventFrom)}`)), list(items)];
}

function digestActions(d: TurnDigest): Inline[][] {
  const out: Inline[][] = [];
  if (d.read.length > 0) out.push([raw('read '), ...join(d.read.slice(0, 6).map((p) => [code(p)]), raw(', ')), raw(d.read.length > 6 ? ` +${d.read.length - 6} more` : '')]);
  for (const e of d.edited) out.push([raw('edited '), code(e.path), raw(e.added || e.removed ? ` (+${e.added} −${e.removed})` : '')]);
  for (const c of d.commands.slice(0, 6)) out.push([raw('ran '), code(c.command), raw(` → ${c.exit === 0 ? 'ok' : `exit ${c.exit ?? '?'}`}`)]);
  if (d.commands.length > 6) out.push([raw(`+${d.commands.length - 6} more commands`)]);
  if (d.otherTools.length > 0) out.push([raw('used '), text(d.otherTools.join(', '))]);
  if (d.subagents > 0) out.push([raw(`a subagent (${d.subagents} events)`)]);
  return out;
}

/** A fact already quoted with backticks stays a code span; others are text. */
function factInline(fact: string): Inline {
  return fact.startsWith('`') && fact.endsWith('`') ? code(fact.slice(1, -1)) : text(fact);
}

function join(parts: Inline[][], sep: Inline): Inline[] {
  return parts.flatMap((p, i) => (i === 0 ? p : [sep, ...p]));
}

/** The text a digest is searched and scored by (no markdown). */
export function digestPlainText(d: TurnDigest): string {
  return [
    d.intent,
    d.outcome,
    ...d.decisions,
    ...d.errors.map((e) => e.signature),
    ...d.facts,
    ...d.values.map((v) => v.text),
    ...d.read,
    ...d.edited.map((e) => e.path),
    ...d.commands.map((c) => c.command),
  ].join('\n');
}
