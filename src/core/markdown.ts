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
      return '#'.repeat(block.level) + ' ' + oneLine(renderInlines(block.children));
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
        .split('\n')
        .map((l) => (l ? '> ' + l : '>'))
        .join('\n');
    case 'rule':
      return '---';
  }
}

export function renderInlines(inlines: Inline[]): string {
  return inlines.map(renderInline).join('');
}

function renderInline(node: Inline): string {
  switch (node.t) {
    case 'text':
      return escapeText(node.value);
    case 'raw':
      return node.value;
    case 'code': {
      const value = node.value.replace(/\n/g, ' ');
      const ticks = '`'.repeat(longestRun(value, '`') + 1);
      const pad = value.startsWith('`') || value.endsWith('`') || value === '' ? ' ' : '';
      return `${ticks}${pad}${value}${pad}${ticks}`;
    }
    case 'strong':
      return `**${renderInlines(node.children)}**`;
    case 'em':
      return `_${renderInlines(node.children)}_`;
  }
}

/**
 * Escapes transcript text for a paragraph: line starts that would open a block (heading, quote,
 * fence, list, thematic break, table) get a backslash, HTML tags and entities are neutralized.
 */
export function escapeText(value: string): string {
  return value
    .replace(/&(?=#?\w+;)/g, '&amp;')
    .replace(/<(?=[A-Za-z/!?])/g, '&lt;')
    .split('\n')
    .map(escapeLineStart)
    .join('\n');
}

function escapeLineStart(line: string): string {
  const m = /^(\s{0,3})(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|\d{1,9}[.)](?=\s|$)|`{3,}|~{3,}|={2,}\s*$|-{3,}\s*$|\*{3,}\s*$|_{3,}\s*$|\|)/.exec(line);
  if (!m) return line;
  return m[1] + '\\' + line.slice(m[1]!.length);
}

/** Undoes escapeText (for tests: escaping loses nothing). */
export function unescapeText(value: string): string {
  return value
    .split('\n')
    .map((l) => l.replace(/^(\s{0,3})\\/, '$1'))
    .join('\n')
    .replace(/&lt;/g, '<')
    .replace(/&amp;/g, '&');
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

function oneLine(value: string): string {
  return value.replace(/\s*\n\s*/g, ' ');
}

function indentRest(value: string, pad: string): string {
  return value.replace(/\n/g, '\n' + pad);
}
