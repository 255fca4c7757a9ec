// Reads a generated session back the way a reader of the transcript would: the texts of each
// line (prompts, assistant text, tool inputs, tool results; thinking is left out, as the eval's
// verbatim rendering leaves it out) and the turn each belongs to (a turn starts at a typed prompt:
// not a tool result, a task notification, a system reminder or an interruption). Then checks
// that every fact is planted where it says.
import type { Fact2, Session2 } from './types';

export interface DecodedText {
  turn: number;
  line: number;
  /** What wrote it: a typed prompt, something Claude Code injected, assistant text, a tool call's input, a tool's output. */
  role: 'prompt' | 'injected' | 'assistant' | 'tool_input' | 'tool_output';
  text: string;
}

/** The roles a fact's first occurrence may have, by where it says it is. */
const ROLES: Record<Fact2['where'], Array<DecodedText['role']>> = {
  prompt: ['prompt'],
  assistant: ['assistant', 'tool_input'],
  tool_output: ['tool_output'],
  edit: ['tool_input'],
};

const INJECTED = /^\s*<(task-notification|system-reminder|local-command-stdout|local-command-caveat|command-name)>/;
const INTERRUPT = '[Request interrupted by user';

function strings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number') out.push(String(value));
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
}

/** Every text of the session, in order, with its turn (1-based; 0 before the first prompt). */
export function decodeSession(lines: string[]): DecodedText[] {
  const out: DecodedText[] = [];
  let turn = 0;
  lines.forEach((raw, line) => {
    const rec = JSON.parse(raw) as Record<string, any>;
    const content = rec.message?.content;
    if (rec.type === 'user') {
      if (typeof content === 'string' || (Array.isArray(content) && content.every((b: any) => b.type === 'text'))) {
        const text = typeof content === 'string' ? content : content.map((b: any) => b.text as string).join('\n');
        const typed = !rec.isMeta && !rec.isCompactSummary && !INJECTED.test(text) && !text.startsWith(INTERRUPT);
        if (typed) turn++;
        out.push({ turn, line, role: typed ? 'prompt' : 'injected', text });
        return;
      }
      for (const b of content ?? []) {
        if (b.type === 'tool_result') {
          const parts: string[] = [];
          strings(typeof b.content === 'string' ? b.content : (b.content ?? []).map((c: any) => c.text ?? ''), parts);
          out.push({ turn, line, role: 'tool_output', text: parts.join('\n') });
        } else if (b.type === 'text') out.push({ turn, line, role: 'injected', text: b.text });
      }
    } else if (rec.type === 'assistant') {
      for (const b of content ?? []) {
        if (b.type === 'text') out.push({ turn, line, role: 'assistant', text: b.text });
        else if (b.type === 'tool_use') {
          const parts: string[] = [];
          strings(b.input, parts);
          out.push({ turn, line, role: 'tool_input', text: parts.join('\n') });
        }
      }
    }
  });
  return out;
}

/** As the eval matches: whitespace runs collapsed, case ignored. */
export function norm(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The number of typed prompts. */
export function countTurns(lines: string[]): number {
  const texts = decodeSession(lines);
  return texts.length ? texts[texts.length - 1]!.turn : 0;
}

/** Problems with the planting; empty when every fact is where it says. */
export function checkPlanting2(session: Pick<Session2, 'lines' | 'facts'>): string[] {
  const texts = decodeSession(session.lines).map((t) => ({ ...t, norm: norm(t.text) }));
  const problems: string[] = [];
  const first = (needle: string) => texts.find((t) => t.norm.includes(needle));
  const lastIndex = (needle: string) => {
    for (let i = texts.length - 1; i >= 0; i--) {
      const at = texts[i]!.norm.lastIndexOf(needle);
      if (at >= 0) return [i, at] as const;
    }
    return undefined;
  };
  const ids = new Set<string>();
  for (const f of session.facts) {
    if (ids.has(f.id)) problems.push(`${f.id}: duplicate id`);
    ids.add(f.id);
    const answer = norm(f.answer);
    const hit = first(answer);
    if (!hit) problems.push(`${f.id}: answer ${JSON.stringify(f.answer)} never occurs`);
    else if (hit.turn !== f.turn) problems.push(`${f.id}: answer ${JSON.stringify(f.answer)} first occurs in turn ${hit.turn}, not ${f.turn}`);
    else if (!ROLES[f.where].includes(hit.role)) problems.push(`${f.id}: answer first occurs in a ${hit.role} text, not in ${f.where}`);
    if (f.stale === undefined) continue;
    const stale = norm(f.stale);
    if (stale.includes(answer) || answer.includes(stale)) problems.push(`${f.id}: stale and answer overlap`);
    const staleHit = first(stale);
    if (!staleHit) problems.push(`${f.id}: stale ${JSON.stringify(f.stale)} never occurs`);
    else {
      if (staleHit.turn >= f.turn) problems.push(`${f.id}: stale first occurs in turn ${staleHit.turn}, not before ${f.turn}`);
      if (f.staleTurn !== undefined && staleHit.turn !== f.staleTurn) problems.push(`${f.id}: stale first occurs in turn ${staleHit.turn}, not ${f.staleTurn}`);
    }
    // Read in order, the last value a reader meets must be the new one.
    const la = lastIndex(answer);
    const ls = lastIndex(stale);
    if (la && ls && (ls[0] > la[0] || (ls[0] === la[0] && ls[1] > la[1]))) problems.push(`${f.id}: stale occurs after the answer's last occurrence`);
  }
  return problems;
}

export type { Fact2 };
