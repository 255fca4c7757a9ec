// The integration state of a progressive read: named sections of bullets, changed only by the
// edit operations a pass returns (ADD, REPLACE, REMOVE, NO_CHANGE), so every change is visible.
import { type Block, heading, list, render, text } from '../markdown';
import { countExact } from '../tokens/count';

export type Edit =
  | { op: 'ADD' | 'REPLACE' | 'REMOVE'; section: string; text: string }
  | { op: 'NO_CHANGE' };

export interface ParsedAnswer {
  edits: Edit[];
  /** Turns the pass asks to read sharper. */
  detail: number[];
  confidence: number | null;
}

export class MalformedAnswerError extends Error {}

/** Parses a pass's answer; throws MalformedAnswerError when it holds no operation at all. */
export function parseAnswer(answer: string): ParsedAnswer {
  const edits: Edit[] = [];
  const detail: number[] = [];
  let confidence: number | null = null;
  let open: Extract<Edit, { text: string }> | null = null;
  for (const rawLine of answer.replace(/\r/g, '').split('\n')) {
    // Operations are matched with leading list markers and emphasis removed (**ADD** Facts: …).
    const line = rawLine.replace(/^\s*(?:[-*]\s+)?[*_]*/, '').replace(/^(ADD|REPLACE|REMOVE|NO_CHANGE|DETAIL|CONFIDENCE)[*_]+/, '$1').trimEnd();
    const op = /^\s*(ADD|REPLACE|REMOVE)\s+([^:\n]{1,60}):\s?(.*)$/.exec(line);
    if (op) {
      open = { op: op[1] as 'ADD' | 'REPLACE' | 'REMOVE', section: op[2]!.trim(), text: op[3]!.trim() };
      edits.push(open);
      continue;
    }
    if (/^\s*NO_CHANGE\b/.test(line)) {
      edits.push({ op: 'NO_CHANGE' });
      open = null;
      continue;
    }
    const det = /^\s*DETAIL:\s*(.*)$/.exec(line);
    if (det) {
      detail.push(...parseTurns(det[1]!));
      open = null;
      continue;
    }
    const conf = /^\s*CONFIDENCE:\s*([01](?:\.\d+)?)/.exec(line);
    if (conf) {
      confidence = Number(conf[1]);
      open = null;
      continue;
    }
    if (open && rawLine.trim()) open.text += (open.text ? '\n' : '') + rawLine.trim();
  }
  if (edits.length === 0) throw new MalformedAnswerError(`no edit operation in the answer: ${JSON.stringify(answer.slice(0, 120))}`);
  return { edits, detail: [...new Set(detail)].sort((a, b) => a - b), confidence };
}

function parseTurns(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec.split(/[,\s]+/)) {
    const m = /^(\d+)(?:\s*[-–]\s*(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const from = Number(m[1]);
    const to = Math.min(Number(m[2] ?? m[1]), from + 50);
    for (let t = from; t <= to; t++) out.push(t);
  }
  return out;
}

export class ReadState {
  readonly sections = new Map<string, string[]>();

  apply(edits: readonly Edit[]): void {
    for (const e of edits) {
      if (e.op === 'NO_CHANGE') continue;
      const bullets = e.text.split('\n').map((l) => l.replace(/^\s*[-*]\s+/, '').trim()).filter(Boolean);
      const key = this.key(e.section);
      if (e.op === 'REPLACE') this.sections.set(key, bullets);
      else if (e.op === 'ADD') this.sections.set(key, [...(this.sections.get(key) ?? []), ...bullets]);
      else this.sections.set(key, (this.sections.get(key) ?? []).filter((b) => !bullets.includes(b)));
      if (this.sections.get(key)?.length === 0) this.sections.delete(key);
    }
  }

  /** Section names match case-insensitively; the first spelling is kept. */
  private key(section: string): string {
    for (const k of this.sections.keys()) if (k.toLowerCase() === section.toLowerCase()) return k;
    return section;
  }

  markdown(): string {
    if (this.sections.size === 0) return '';
    const blocks: Block[] = [];
    for (const [name, bullets] of this.sections) blocks.push(heading(2, text(name)), list(bullets.map((b) => [text(b)])));
    return render(blocks);
  }

  tokens(): number {
    return countExact(this.markdown());
  }

  /**
   * Keeps the state within `cap` tokens by dropping the oldest bullets of the largest section (an
   * Answer section last). Returns how many bullets went; the pass records it.
   */
  trimTo(cap: number): number {
    let dropped = 0;
    while (this.sections.size > 0 && this.tokens() > cap) {
      const [name, bullets] = [...this.sections].sort((a, b) => weight(b) - weight(a))[0]!;
      bullets.shift();
      if (bullets.length === 0) this.sections.delete(name);
      dropped++;
    }
    return dropped;
  }

  static fromMarkdownSections(sections: Record<string, string[]>): ReadState {
    const s = new ReadState();
    for (const [k, v] of Object.entries(sections)) if (v.length > 0) s.sections.set(k, [...v]);
    return s;
  }
}

function weight([name, bullets]: [string, string[]]): number {
  return (name.toLowerCase() === 'answer' ? 0.1 : 1) * bullets.join('\n').length;
}

