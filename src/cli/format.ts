// Plain-text rendering for the terminal: tables, numbers, times.

/** Left-aligned columns, numbers right-aligned, each column as wide as its widest cell. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatInt(c) : c)))];
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => displayWidth(String(r[i] ?? '')))));
  const line = (r: (string | number)[]) =>
    r
      .map((c, i) => {
        const s = String(c ?? '');
        const pad = ' '.repeat(Math.max(0, widths[i]! - displayWidth(s)));
        return numeric[i] ? pad + s : s + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function displayWidth(s: string): number {
  return [...s].length;
}

export function formatInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 142000 → "142k", 1234567 → "1.2M". */
export function formatTokens(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1_000) return `${(n / 1000).toFixed(1)}k`;
  return String(n);
}

/** ISO time → "2026-03-02 09:14" (UTC), or '' when absent. */
export function formatTime(iso: string): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '';
}

/** One line of a text, at most `max` characters, whitespace collapsed. */
export function oneLine(text: string, max: number): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}
