// The hover on a placeholder of omitted tool output: what was omitted, and links to get it back.
// Pure: builds markdown text; the host wraps it in a MarkdownString with trusted command links
// limited to Loupe's own commands.

export interface OmittedOutput {
  eventId: number;
  tool: string;
  /** The tool call's input (JSON or text), as stored. */
  input: string;
  /** The full original output (verbatim from the transcript when it is still there). */
  output: string;
  tokens: number;
  isError: boolean;
  /** Where the original lives: `file:line`. */
  source: string;
}

export const HOVER_EDGE_LINES = 5;
const MAX_LINE = 160;
const MAX_INPUT = 400;

/** A code fence longer than any run of backticks in `text`, so content can never close it. */
export function fence(text: string): string {
  let longest = 2;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(longest + 1);
}

function fenced(text: string): string {
  const f = fence(text);
  return `${f}text\n${text}\n${f}`;
}

function cut(line: string, max: number): string {
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Markdown special characters escaped, for text shown outside a code fence. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`);
}

/** `command:loupe.recall?["e12"]`: a command link whose argument survives markdown and URI parsing. */
export function commandLink(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

export function hoverMarkdown(o: OmittedOutput): string {
  const lines = o.output.split('\n');
  const head = lines.slice(0, HOVER_EDGE_LINES);
  const tail = lines.length > HOVER_EDGE_LINES * 2 ? lines.slice(-HOVER_EDGE_LINES) : lines.slice(HOVER_EDGE_LINES);
  const skipped = lines.length - head.length - tail.length;
  const excerpt = [...head, ...(skipped > 0 ? [`… ${skipped} more line${skipped === 1 ? '' : 's'} …`] : []), ...tail]
    .map((l) => cut(l, MAX_LINE))
    .join('\n');
  const handle = `e${o.eventId}`;
  // The links come right after the summary line, so they are visible without scrolling the hover.
  const parts = [
    `**${escapeMarkdown(o.tool)}** output \`${handle}\` — ${lines.length} line${lines.length === 1 ? '' : 's'}, ` +
      `${o.output.length.toLocaleString('en-US')} chars, ${o.tokens.toLocaleString('en-US')} tokens, ` +
      `errors: ${o.isError ? '**yes**' : 'no'}`,
    '',
    `[Recall full output](${commandLink('loupe.recall', [handle])}) · [Copy](${commandLink('loupe.copyEvent', [handle])})`,
    '',
    'Input:',
    fenced(cut(o.input.replace(/\s+/g, ' ').trim(), MAX_INPUT)),
    'Output (first and last lines):',
    fenced(excerpt),
    `Source: ${escapeMarkdown(o.source)}`,
  ];
  return parts.join('\n');
}
