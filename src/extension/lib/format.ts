// Numbers as the extension shows them. Pure: no vscode import, unit-tested in node.
import type { ContextSource } from '../../protocol';

/** 142_300 → "142k", 1_250_000 → "1.3M", 950 → "950". */
export function formatTokens(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(n >= 10_000_000 ? 0 : 1).replace(/\.0$/, '')}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  return String(Math.max(0, Math.round(n)));
}

const QUARTERS = ['○', '◔', '◑', '◕', '●'];

/** A circle filled by quarters: ○ empty, ◔ up to a quarter … ● full. */
export function fillGlyph(tokens: number, window: number): string {
  if (window <= 0 || tokens <= 0) return QUARTERS[0]!;
  const ratio = Math.min(1, tokens / window);
  return QUARTERS[Math.min(4, Math.max(1, Math.ceil(ratio * 4)))]!;
}

/** Before a fill: nothing for the API's own number, ≈ for an estimate, ≥ for the visible events alone (a lower bound). */
export function fillQualifier(source: ContextSource): string {
  return source === 'usage' ? '' : source === 'calibrated' ? '≈' : '≥';
}

const FILL_SOURCES: Record<ContextSource, string> = {
  usage: "The last API call's usage (input and cache).",
  calibrated: "Estimated: the last API call's usage and what came in since, calibrated on this session's usage.",
  visible: 'Visible events only: this transcript has no API usage, so the system prompt, tools and attachments are not counted.',
};

/** The status bar text: `◔ 142k / 200k` (`◔ ≈142k / 200k` estimated, `◔ ≥42k / 200k` visible events only). */
export function fillLabel(tokens: number, window: number, source: ContextSource = 'usage'): string {
  return `${fillGlyph(tokens, window)} ${fillQualifier(source)}${formatTokens(tokens)} / ${formatTokens(window)}`;
}

/** The status bar tooltip: the fill and where it comes from, then the session's tokens by kind. */
export function fillTooltip(
  title: string,
  tokens: number,
  window: number,
  byKind: { kind: string; tokens: number }[],
  source: ContextSource = 'usage',
): string {
  const pct = window > 0 ? Math.round((tokens / window) * 100) : 0;
  const fill = `${fillQualifier(source)}${tokens.toLocaleString('en-US')}`;
  const lines = [`Loupe — ${title}`, `Context: ${fill} of ${window.toLocaleString('en-US')} tokens (${pct}%)`, FILL_SOURCES[source], ''];
  for (const k of byKind) lines.push(`${k.kind}: ${formatTokens(k.tokens)}`);
  lines.push('', 'Click to open the Loupe sidebar');
  return lines.join('\n');
}

/** The budgets the Compact and Export pickers offer. */
export const BUDGET_PRESETS = [2_000, 4_000, 8_000, 16_000, 32_000, 64_000] as const;

/**
 * A budget typed by the user: "8000", "8k", "8 000", "1.5k". Undefined when it is not a whole
 * number of tokens between `min` and `max`.
 */
export function parseBudget(input: string, min = 200, max = 1_000_000): number | undefined {
  const m = /^\s*(\d+(?:[.,]\d+)?|\d{1,3}(?:[ _,]\d{3})+)\s*(k|K)?\s*(tokens?)?\s*$/.exec(input);
  if (!m) return undefined;
  const digits = m[1]!;
  const value = m[2] ? Number(digits.replace(',', '.')) * 1000 : Number(digits.replace(/[ _,]/g, ''));
  if (!Number.isFinite(value)) return undefined;
  const n = Math.round(value);
  return n >= min && n <= max ? n : undefined;
}
