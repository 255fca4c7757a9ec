// Extractive building blocks: sentences, decisions, error signatures and exact facts, all cut
// out of the text as written. The extractive distiller never invents a word; these functions
// only select and trim.

/** Splits prose into sentences (keeps code spans and paths intact: a '.' inside a token does not split). */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const block of text.split(/\n\s*\n|\n(?=\s*[-*•]\s)|\n(?=\s*\d+[.)]\s)/)) {
    // A list item's marker ('- ', '1. ') is the list's, not part of the sentence.
    const flat = block.replace(/\s+/g, ' ').trim().replace(/^(?:[-*•+]|\d{1,9}[.)])\s+/, '');
    if (!flat) continue;
    // A sentence ends at . ! ? followed by a space and an upper-case letter, a backtick or a quote.
    for (const s of flat.split(/(?<=[.!?])\s+(?=[A-Z`"'(\[])/)) {
      const t = s.trim();
      if (t) out.push(t);
    }
  }
  return out;
}

/** The first sentences of a text, at most `maxChars` (cut at a word boundary, marked with …). */
export function condense(text: string, maxChars: number, maxSentences = 2): string {
  const picked: string[] = [];
  let length = 0;
  for (const s of sentences(text)) {
    if (picked.length >= maxSentences || length + s.length > maxChars) {
      if (picked.length === 0) picked.push(cutWords(s, maxChars));
      break;
    }
    picked.push(s);
    length += s.length + 1;
  }
  return picked.join(' ');
}

export function cutWords(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars - 1);
  const space = cut.lastIndexOf(' ');
  return (space > maxChars * 0.6 ? cut.slice(0, space) : cut) + '…';
}

// Sentences that decide, reject or choose. Kept conservative: a false positive costs a line in a
// digest, a miss can lose the reason a later turn did what it did.
const DECISION =
  /\b(we(?:'ll| will| should| decided| chose| are going to)|let's|i(?:'ll| will) (?:use|go with|switch|keep|drop)|decided|decision|going with|go with|instead of|rather than|switch(?:ed|ing)? (?:to|from|the)|chose|choose|prefer|reject(?:ed)?|don't use|do not use|won't|will not|not going to|stick with|settled on|opt(?:ed)? for|abandon(?:ed)?|no longer)\b/i;

// Settings changed on purpose are decisions too ("set the retry limit to 7", "bump pg to 8.11").
const SETTING = /\b(?:set|sets|setting|change[sd]?|bump(?:ed)?|raise[sd]?|lower(?:ed)?|increase[sd]?|decrease[sd]?|pin(?:ned)?|switch(?:ed)?)\b[^.!?]{1,60}?\b(?:to|=)\s*\S/i;

export function isDecision(sentence: string): boolean {
  return sentence.length >= 12 && sentence.length <= 400 && (DECISION.test(sentence) || SETTING.test(sentence));
}

export function decisions(text: string): string[] {
  return sentences(text).filter(isDecision);
}

// Lines that name an error. The first such line of an output is its signature.
const ERROR_LINE =
  /\b((?:[A-Z][A-Za-z]*)?(?:Error|Exception)\b|error(?: TS\d+)?:|ERR_[A-Z_]+|FAIL\b|FAILED\b|panic(?:ked)?:|Traceback|fatal:|Segmentation fault|AssertionError|npm ERR!|✗|✖)/;

// A named error says more than a status line: "TypeError: …" beats "FAIL test/a.test.ts".
const NAMED_ERROR = /\b(?:[A-Z][A-Za-z]*)?(?:Error|Exception)\b|\berror TS\d+|\bpanic(?:ked)?:|ERR_[A-Z_]+/;

/** The line of a tool output that says what went wrong (or null). */
export function errorSignature(output: string): string | null {
  let fallback: string | null = null;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/^\s*\d+\t/, '').trim();
    if (!line || !ERROR_LINE.test(line)) continue;
    const cut = line.length > 300 ? cutWords(line, 300) : line;
    if (NAMED_ERROR.test(line)) return cut;
    fallback ??= cut;
  }
  return fallback;
}

/**
 * A key under which repeats of one error collapse: the signature without what varies between
 * occurrences (line:column numbers, addresses, durations, timestamps, temp paths).
 */
export function errorKey(signature: string): string {
  return signature
    .replace(/0x[0-9a-f]+/gi, '0x…')
    .replace(/:\d+(:\d+)?\b/g, ':…')
    .replace(/\b\d+(\.\d+)?\s?(ms|s|sec|seconds)\b/g, '…$2')
    .replace(/\d{4}-\d{2}-\d{2}[T ][\d:.]+Z?/g, '…')
    .replace(/\/tmp\/[^\s'"]+/g, '/tmp/…')
    .trim();
}

// Exact facts: kept verbatim because a paraphrase of a number or a name is a wrong number or name.
const FACT_PATTERNS: RegExp[] = [
  /`[^`\n]{2,80}`/g, // code spans: identifiers, commands, values as the author quoted them
  /\bhttps?:\/\/[^\s)>\]'"]+/g, // URLs
  /(?<![\w/.-])(?:\.{0,2}\/)?(?:[\w@.-]+\/)+[\w@.-]+\.[A-Za-z0-9]{1,8}\b/g, // paths with an extension
  /\bv?\d+\.\d+\.\d+(?:-[\w.]+)?\b/g, // versions
  /\b\d+(?:[.,]\d+)?\s?(?:ms|s|seconds?|minutes?|min|h|hours?|days?|KB|MB|GB|TB|kB|KiB|MiB|GiB|%|px|tokens?|lines?|bytes?|req\/s|rps|x|×)(?![\w])/g, // numbers with units
  /\b(?:port|timeout|limit|retries|retry limit|max|min|size|ttl|version|threshold)\s*(?:=|:|to|of|is)\s*[\w.]+/gi, // settings
];

/** Exact facts of a text, in order of appearance, without duplicates. */
export function exactFacts(text: string, max = 12): string[] {
  const found: { at: number; value: string }[] = [];
  for (const pattern of FACT_PATTERNS) {
    // A sentence's full stop or comma is not part of the URL or value before it.
    for (const m of text.matchAll(pattern)) found.push({ at: m.index ?? 0, value: m[0].trim().replace(/[.,;:]+$/, '') });
  }
  found.sort((a, b) => a.at - b.at);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const { value } of found) {
    const key = value.replace(/^`|`$/g, '').toLowerCase();
    if (seen.has(key) || [...seen].some((s) => s.includes(key))) continue;
    seen.add(key);
    out.push(value);
    if (out.length >= max) break;
  }
  return out;
}

// Values set: a name bound to a value, `PAGE_SIZE = 250`, `RETRY_LIMIT: 7`, `API_URL="https://…"`.
// What makes an assignment is evidence on both sides, and the less the name says the more the
// value must say (a word before a colon is usually a label in prose: `MANDATORY: READ`, `URL: https…`).
// - A constant's name (SCREAMING_SNAKE_CASE: `RETRY_LIMIT`) takes any value that ends its clause;
//   a bare word followed by more words is the start of a sentence, not a value.
// - A name that could be a variable (snake_case, camelCase, a dotted config key `server.port`)
//   takes only a literal: a number, a quoted string, a URL or path, true/false/null. Dotted keys
//   only with '=', since `package.json: …` names a file.
// - An all-caps word without '_' (`PORT`) counts only with '=': `PORT=8080` (the shell's syntax,
//   any value) or `PORT = 8080` (a literal). Prose writes no '=', but it does write `NOTE: …`.
// The value is a whole token: a quoted string, or everything up to the next space, so URLs and
// paths are kept whole (`X_URL=https://a.b/c`); a sentence's punctuation after it is not part of it.
const NAME_SEP = /(?<![\w.$@/\\?&-])([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)(?:([ \t]*)=(?![=>~])([ \t]*)|:[ \t]+)/g;
const CONSTANT = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const SHELL_NAME = /^[A-Z][A-Z0-9]+$/;
const VARIABLE = /^(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+)$/;
const DOTTED_KEY = /^[a-z][a-zA-Z0-9_]*(?:\.[a-z][a-zA-Z0-9_]*)+$/;
const LITERAL = /^(?:(['"`]).*\1|[-+]?\.?\d[\w.:%/+-]*|[a-z][a-z0-9+.-]*:\/\/\S+|~?\.{0,2}\/\S*|true|false|null|none|nil)$/i;
const TYPE_WORD = /^(?:string|number|boolean|any|unknown|void|null|undefined|object|int|float|str|bool)$/;

/** Values set in a text, as written (`name` is the name, `text` the whole assignment). */
export function assignments(text: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  let from = 0; // a value's own text (a URL's `?a_b=1`) is not searched again
  for (const m of text.matchAll(NAME_SEP)) {
    if (m.index < from) continue;
    const name = m[1]!;
    const tight = m[0].endsWith('=') && !m[2] && !m[3];
    const start = m.index + m[0].length;
    const value = valueAt(text, start);
    if (!value) continue;
    const literal = LITERAL.test(value.text);
    const ok = CONSTANT.test(name)
      ? literal || tight || (value.endsClause && !TYPE_WORD.test(value.text))
      : VARIABLE.test(name) || (DOTTED_KEY.test(name) && m[0].includes('='))
        ? literal
        : SHELL_NAME.test(name) && m[0].includes('=') && (tight || literal);
    if (!ok) continue;
    out.push({ name, text: m[0] + value.text });
    from = start + value.text.length;
  }
  return out;
}

/** The value token at `start`: a quoted string whole, or up to the next space less a sentence's punctuation. */
function valueAt(text: string, start: number): { text: string; endsClause: boolean } | null {
  const rest = text.slice(start);
  const quoted = /^(['"`])[^\n]{0,200}?\1/.exec(rest)?.[0];
  let token = quoted ?? /^\S{1,200}(?!\S)/.exec(rest)?.[0] ?? '';
  if (!quoted) {
    // A closing bracket or quote the value did not open belongs to the text around it, and so
    // does a sentence's punctuation.
    for (let last = ''; token !== last; ) {
      last = token;
      token = token.replace(/[.,;:!?]+$/, '');
      const end = token.at(-1) ?? '';
      const opener = ({ ')': '(', ']': '[', '}': '{' } as Record<string, string>)[end];
      if (opener ? count(token, end) > count(token, opener) : /['"]/.test(end) && count(token, end) % 2 === 1) token = token.slice(0, -1);
    }
    if (!/[\p{L}\p{N}]/u.test(token)) return null; // `{`, `(`, `[`: the start of an expression
  }
  const after = rest.slice(token.length);
  return { text: token, endsClause: /^[)\]}'"]*(?:[.,;:!?]|[ \t]*(?:\r?\n|$))/.test(after) };
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

/** Exit status of a command output ("Exit code 1", "exit status 2"), if the text says. */
export function exitCode(output: string): number | null {
  const m = /\b[Ee]xit (?:code|status)[: ]\s*(\d+)/.exec(output);
  return m ? Number(m[1]) : null;
}

/** A shell command's result that says it failed (an exit code other than 0, from metadata or text). */
export function commandFailed(event: { toolName: string | null; meta: Record<string, unknown>; text: string }): boolean {
  if (event.toolName !== 'Bash') return false;
  const result = event.meta.result as { exitCode?: number } | undefined;
  if (typeof result?.exitCode === 'number') return result.exitCode !== 0;
  return /\bExit code [1-9]\d*\b/.test(event.text);
}

/** The first non-blank line of a text, trimmed, at most 200 characters. */
export function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 200) ?? '';
}
