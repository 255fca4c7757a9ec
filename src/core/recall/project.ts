// Projects in the graph: see core/project-path.ts for what a file's name within its project is.
export { pathInProject, projectOf } from '../project-path';

/**
 * Whether a query word names a file or a dotted name rather than a word (it has a slash, a dot
 * between two letters, or starts with a dot): `hardhat.config.js`, `src/db`, `config.retryLimit`,
 * `.gitignore`. Such a word names one thing; its parts (`hardhat`, `config`, `js`) are not looked
 * up one by one.
 */
export function looksLikePath(word: string): boolean {
  return /[/\\]/.test(word) || /\w\.\w/.test(word) || /^\.\w/.test(word);
}
