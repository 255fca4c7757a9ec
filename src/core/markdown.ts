// Markdown built from a small syntax tree, so transcript text is escaped by construction: a
// transcript line that starts with '#', '>' or a fence, or holds HTML, cannot change the
// structure of the document Loupe writes (STYLE: lore's lesson).
//
// Escaping is deliberately minimal: only what would change the document's block structure or
// inject HTML. Identifiers such as snake_case or a*b stay as written, because the reader is a
// model continuing the work, and an exact name with backslashes in it is a wrong name.

export type Inline =
  | { t: 'text'; value: string }
  | { t: 'code'; value: string }
  | { t: 'strong'; children: Inline[] }
  | { t: 'em'; children: Inline[] }
  /** Text Loupe wrote itself (labels, anchors): emitted as is. */
  | { t: 'raw'; value: string };

export type Block =
  | { t: 'heading'; level: 1 | 2 | 3 | 4; children: Inline[] }
  | { t: 'paragraph'; children: Inline[] }
  | { t: 'list'; items: Inline[][] }
  | { t: 'code'; lang: string; value: string }
  | { t: 'quote'; children: Block[] }
  | { t: 'rule' };

export const text = (value: string): Inline => ({ t: 'text', value });
export const code = (value: string): Inline => ({ t: 'code', value });
export const strong = (...children: Inline[]): Inline => ({ t: 'strong', children });
export const em = (...children: Inline[]): Inline => ({ t: 'em', children });
export const raw = (value: string): Inline => ({ t: 'raw', value });
export const heading = (level: 1 | 2 | 3 | 4, ...children: Inline[]): Block => ({ t: 'heading', level, children });
export const paragraph = (...children: Inline[]): Block => ({ t: 'paragraph', children });
export const list = (items: Inline[][]): Block => ({ t: 'list', items });
export const codeBlock = (value: string, lang = ''): Block => ({ t: 'code', lang, value });
export const quote = (...children: Block[]): Block => ({ t: 'quote', children });
export const rule = (): Block => ({ t: 'rule' });

export function render(blocks: Block[]): string {
  return blocks.map(renderBlock).join('\n\n') + '\n';
}

export function renderBlock(block: Block): string {
  switch (block.t) {
    case 'heading':
      // A heading is one line: its text starts no line of its own.
      return '#'.repeat(block.level) + ' ' + oneLine(renderInlines(block.children.map(flatten), false));
    case 'paragraph':
      return renderInlines(block.children);
    case 'list':
      return block.items.map((item) => '- ' + indentRest(renderInlines(item), '  ')).join('\n');
    case 'code': {
      const fence = '`'.repeat(Math.max(3, longestRun(block.value, '`') + 1));
      return `${fence}${block.lang.replace(/[^\w+-]/g, '')}\n${block.value.replace(/\n$/, '')}\n${fence}`;
    }
    case 'quote':
      return block.children
        .map(renderBlock)
        .join('\n\n')
        .split(LINE_END)
        .map((l) => (l ? '> ' + l : '>'))
        .join('\n');
    case 'rule':
      return '---';
  }
}

/**
 * Renders inlines that start at the beginning of a block's line (`atLineStart`, the first inline
 * of a paragraph or list item) or in the middle of one (after a label, in a heading). Only text
 * that begins a rendered line can open a block, so only there is its first line escaped as one.
 */
export function renderInlines(inlines: Inline[], atLineStart = true): string {
  let out = '';
  let atStart = atLineStart;
  for (const node of inlines) {
    const rendered = renderInline(node, atStart);
    out += rendered;
    // Still at a line start after nothing or whitespace; at one again after a newline.
    atStart = /\n[ \t]*$/.test(rendered) || (atStart && /^[ \t]*$/.test(rendered));
  }
  return out;
}

function renderInline(node: Inline, atLineStart: boolean): string {
  switch (node.t) {
    case 'text':
      return escapeText(node.value, atLineStart);
    case 'raw':
      return node.value;
    case 'code': {
      const value = node.value.replace(/\n/g, ' ');
      const ticks = '`'.repeat(longestRun(value, '`') + 1);
      const pad = value.startsWith('`') || value.endsWith('`') || value === '' ? ' ' : '';
      return `${ticks}${pad}${value}${pad}${ticks}`;
    }
    case 'strong':
      return `**${renderInlines(node.children, false)}**`;
    case 'em':
      return `_${renderInlines(node.children, false)}_`;
  }
}

function flatten(node: Inline): Inline {
  switch (node.t) {
    case 'text':
    case 'raw':
      return { ...node, value: oneLine(node.value) };
    case 'strong':
    case 'em':
      return { ...node, children: node.children.map(flatten) };
    case 'code':
      return node;
  }
}

// Escapes are CommonMark backslash escapes (spec 2.4: any ASCII punctuation after a backslash is
// literal), each put where CommonMark needs it and nowhere else:
// - `<` before a letter, '/', '!' or '?' (what can open a tag, a comment, an autolink or an
//   HTML block) becomes `\<`, and `&` before an entity-like word becomes `\&`. Both render as the
//   character itself and can open nothing, like `&lt;` and `&amp;`; but `\<div>` is one character
//   away from what was written, where `&lt;div>` is four characters of HTML a model must decode
//   (and several tokens more). A `<` before anything else (`3 < 4`, `<=`) stays as it is.
// - A line that would open a block gets one backslash before the character that opens it:
//   `\#`, `\>`, `\-`, `\+`, `\*`, `\|`, a fence as \```, and an ordered list marker after its
//   digits, `1\.` (a backslash before a digit escapes nothing: `\1.` shows the backslash).
// - Backslashes already in front of an escaped character are doubled, as CommonMark needs for
//   them to show (`\<div>` is written `\\\<div>`): so the escaped text renders as written, and
//   unescapeText can undo exactly what was done.
// Nothing else is escaped: a backslash elsewhere, `_`, `*` and `[` stay, since a model reads the
// markdown as text and a name with backslashes in it is a wrong name.

// A line of text; CommonMark ends one at \n, \r\n or a lone \r.
const LINE = /[^\r\n]+/g;
const TAG_OPEN = /(\\*)<(?=[A-Za-z/!?])/g;
const ENTITY_OPEN = /(\\*)&(?=#?\w+;)/g;

/**
 * Escapes transcript text: HTML tags and entities are neutralized, and lines that would open a
 * block (heading, quote, fence, list, thematic break, setext underline, table) get a backslash.
 * The first line counts as a line start only when `atLineStart` (the text begins a rendered line).
 */
export function escapeText(value: string, atLineStart = true): string {
  return value
    .replace(TAG_OPEN, (_, slashes: string) => slashes + slashes + '\\<')
    .replace(ENTITY_OPEN, (_, slashes: string) => slashes + slashes + '\\&')
    .replace(LINE, (line, at: number) => (at > 0 || atLineStart ? escapeLineStart(line) : line));
}

// A line's block opener, with any backslashes in front of its character (`slashes`). Up to three
// columns of indentation keep a line a block start, four make it indented code, which shows its
// text literally and needs nothing. A tab counts as one column here: after a list marker or '> '
// it can be as narrow as that, so '\t- x' in a list item is a nested list.
const BLOCK_START =
  /^([ \t]{0,3})(?:(\\*)(#{1,6}(?=[ \t]|$)|>|[-+*](?=[ \t]|$)|`{3,}|~{3,}|=+[ \t]*$|([-*_])(?:[ \t]*\4){2,}[ \t]*$|\|)|(\d{1,9})(\\*)([.)](?=[ \t]|$)))/;

/** A line that opens a block, split around the backslashes before its opening character. */
function blockStart(line: string): { before: string; slashes: string; rest: string } | null {
  const m = BLOCK_START.exec(line);
  if (!m) return null;
  const [all, indent = '', slashes = '', opener, , digits = '', digitSlashes = '', mark = ''] = m;
  if (opener !== undefined) return { before: indent, slashes, rest: line.slice(all.length - opener.length) };
  return { before: indent + digits, slashes: digitSlashes, rest: mark + line.slice(all.length) };
}

function escapeLineStart(line: string): string {
  const b = blockStart(line);
  return b ? b.before + b.slashes + b.slashes + '\\' + b.rest : line;
}

/** Undoes escapeText with the same `atLineStart` (for tests: escaping loses nothing). */
export function unescapeText(value: string, atLineStart = true): string {
  return value
    .replace(LINE, (line, at: number) => (at > 0 || atLineStart ? unescapeLineStart(line) : line))
    .replace(TAG_OPEN, (_, slashes: string) => half(slashes) + '<')
    .replace(ENTITY_OPEN, (_, slashes: string) => half(slashes) + '&');
}

function unescapeLineStart(line: string): string {
  // escapeText leaves an odd run of backslashes (2k + 1) before every opener it escaped.
  const b = blockStart(line);
  return b ? b.before + half(b.slashes) + b.rest : line;
}

function half(slashes: string): string {
  return slashes.slice(0, (slashes.length - 1) / 2);
}

function longestRun(value: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of value) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

const LINE_END = /\r\n|\r|\n/g;

function oneLine(value: string): string {
  return value.replace(/\s*[\r\n]\s*/g, ' ');
}

function indentRest(value: string, pad: string): string {
  return value.replace(LINE_END, '\n' + pad);
}
