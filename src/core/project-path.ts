// Paths within a session's project, shared by the graph (DESIGN §6) and the distilled renderings. The graph is one for every session, but a file's name means
// something only within its project: `README.md` or `config.toml` in two repositories are two
// files. So file and symbol nodes carry their project, the session's working folder (its cwd), and
// a file is named by its path within it; a path outside it keeps its absolute form (still within
// the session's project: two projects that touched /tmp/x.md are not linked through it).
import { posix } from 'node:path';

const DRIVE = /^[A-Za-z]:/;

/** Slashes forward, a Windows drive letter lower-cased: transcripts write `c:\x` and `C:/x` for one folder. */
function normalSlashes(path: string): string {
  const p = path.replace(/\\/g, '/');
  return DRIVE.test(p) ? p[0]!.toLowerCase() + p.slice(1) : p;
}

const isAbsolute = (p: string) => p.startsWith('/') || /^[a-z]:\//.test(p);

/** A session's project: its working folder, normalized ('' when the transcript named none). */
export function projectOf(cwd: string): string {
  const p = normalSlashes(cwd.trim());
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/**
 * A file's name in the graph: its path within the project (`contracts/hardhat.config.js`), or its
 * absolute path when it lies outside. A relative path is taken as relative to the project's folder.
 */
export function pathInProject(path: string, project: string): string {
  let p = normalSlashes(path.trim());
  if (!isAbsolute(p)) {
    if (!project) return posix.normalize(p).replace(/^\.\//, '');
    p = posix.join(project, p);
  }
  p = posix.normalize(p);
  if (!project) return p;
  // Windows folders compare without case (c:/Users/Ana and c:/users/ana are one folder).
  const fold = (s: string) => (DRIVE.test(project) ? s.toLowerCase() : s);
  if (fold(p) === fold(project)) return '.';
  return fold(p).startsWith(fold(project) + '/') ? p.slice(project.length + 1) : p;
}
