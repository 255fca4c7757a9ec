// Finding Loupe's markers in compacted text: placeholders of omitted tool output and `↗ eN`
// anchors (both written by src/core/distill/strip.ts). Pure: unit-tested in node.

/** `[output omitted — Read src/db.ts: 142 lines, errors: no — recall e512]`, parsed. */
export interface Placeholder {
  /** The event id of the omitted tool result: the recall handle `e<id>`. */
  eventId: number;
  /** `Read src/db.ts`: the tool and its main argument, as the placeholder shows them. */
  label: string;
  lines: number;
  isError: boolean;
  /** Extra paths the output mentioned. */
  paths: string[];
  /** Character range in the line. */
  start: number;
  end: number;
}

export interface Anchor {
  eventId: number;
  start: number;
  end: number;
}

// The label may itself hold ':' (a Bash command), so it is matched lazily up to the last
// ": N line(s), errors: " before "— recall eN]".
const PLACEHOLDER = /\[output omitted — (.*?): (\d+) lines?, errors: (yes|no)(?:, paths: (.*?))? — recall e(\d+)\]/g;
const ANCHOR = /↗ e(\d+)/g;

export function findPlaceholders(line: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const m of line.matchAll(PLACEHOLDER)) {
    found.push({
      eventId: Number(m[5]),
      label: m[1]!,
      lines: Number(m[2]),
      isError: m[3] === 'yes',
      paths: m[4] ? m[4].split(', ').filter((p) => p !== '…') : [],
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  return found;
}

export function findAnchors(line: string): Anchor[] {
  return [...line.matchAll(ANCHOR)].map((m) => ({ eventId: Number(m[1]), start: m.index, end: m.index + m[0].length }));
}

/** The placeholder under character `column` of `line`, if any. */
export function placeholderAt(line: string, column: number): Placeholder | undefined {
  return findPlaceholders(line).find((p) => column >= p.start && column <= p.end);
}

/** The recall handle under `column`: an anchor, a placeholder, or a bare `eN` word. */
export function handleAt(line: string, column: number): number | undefined {
  const hit = [...findPlaceholders(line), ...findAnchors(line)].find((h) => column >= h.start && column <= h.end);
  if (hit) return hit.eventId;
  for (const m of line.matchAll(/\be(\d+)\b/g)) {
    if (column >= m.index && column <= m.index + m[0].length) return Number(m[1]);
  }
  return undefined;
}

/** `e512`, `512` or `↗ e512` → 512; undefined otherwise. */
export function parseHandle(input: string): number | undefined {
  const m = /^\s*(?:↗\s*)?e?(\d{1,15})\s*$/.exec(input);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
