// Text helpers of the webview (pure: no DOM, so node tests run them). Transcript strings reach the
// DOM through textContent only: these turn markdown into the plain text it reads as, never HTML.

/**
 * Markdown as the plain text it reads as: emphasis, code spans, heading and list markers, links
 * and images (their text kept) and escapes removed. `**Turn 1** — fix \`db.ts\`` → `Turn 1 — fix db.ts`.
 */
export function plainText(markdown: string): string {
  // Escaped characters are set aside first, so that `\*stars\*` is not read as emphasis.
  const escaped: string[] = [];
  const text = markdown
    .replace(/\\([\\`*_{}[\]()#+\-.!<>|~])/g, (_m, c: string) => `\uE000${escaped.push(c) - 1}\uE001`)
    .replace(/```[^\n]*\n?/g, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/^(\s*)[-*+]\s+/gm, '$1')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1$2')
    .replace(/`([^`\n]*)`/g, '$1');
  return text.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => escaped[Number(i)] ?? '');
}

/** One line of plain text, whitespace collapsed. */
export function oneLine(markdown: string): string {
  return plainText(markdown).replace(/\s+/g, ' ').trim();
}
