// Checks on a model's distillation before it may replace the extractive unit: the required
// sections are there, and it names no path the source does not contain (an invented path sends
// the next reader to a file that never existed).

export const DIGEST_LABELS = ['Intent', 'Outcome', 'Facts'] as const;
export const CONTEXT_HEADINGS = ['Current State', 'Key Decisions', 'Technical Changes', 'Open Problems', 'Session Timeline'] as const;

/** Why the digest is not acceptable, or null. */
export function checkDigest(answer: string, source: string): string | null {
  const missing = DIGEST_LABELS.filter((l) => !new RegExp(`^[\\s*_-]*${l}\\s*[*_]*\\s*:`, 'mi').test(answer));
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  return checkPaths(answer, source);
}

export function checkWorkingContext(answer: string, source: string): string | null {
  let at = -1;
  for (const h of CONTEXT_HEADINGS) {
    const m = new RegExp(`^#{2,4}\\s+${h}\\s*$`, 'mi').exec(answer);
    if (!m) return `missing section "${h}"`;
    if (m.index < at) return `section "${h}" out of order`;
    at = m.index;
  }
  return checkPaths(answer, source);
}

const PATH = /(?:[\w@.-]+\/)+[\w@.-]+|\b[\w-]+\.(?:ts|tsx|js|jsx|mjs|cjs|py|go|rs|java|json|md|css|scss|html|yml|yaml|toml|sql|sh|rb|php|c|h|cpp|cs|kt|swift|lock)\b/g;

/** Paths named in `answer` that `source` does not contain. */
export function inventedPaths(answer: string, source: string): string[] {
  const out = new Set<string>();
  for (const m of answer.replace(/\b[a-z][\w+.-]*:\/\/\S+/gi, ' ').matchAll(PATH)) {
    const path = m[0].replace(/[.,;:]+$/, '');
    // URLs (removed above) and version-like strings are not paths worth checking.
    if (/^v?\d+(\.\d+)*$/.test(path) || !/[a-z]/i.test(path)) continue;
    if (!source.includes(path)) out.add(path);
  }
  return [...out];
}

function checkPaths(answer: string, source: string): string | null {
  const invented = inventedPaths(answer, source);
  return invented.length > 0 ? `invented path${invented.length > 1 ? 's' : ''} ${invented.slice(0, 5).join(', ')}` : null;
}
