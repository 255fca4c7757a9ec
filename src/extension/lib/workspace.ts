// Which transcripts belong to the open workspace. Claude Code keeps a project's sessions in
// `<projects root>/<cwd with every non-alphanumeric character as '-'>/`. That encoding is lossy,
// so folders are matched on it first (cheap, no file opened) and sessions are then kept only when
// their recorded cwd really is inside a workspace folder.
import { readdirSync } from 'node:fs';
import { join, relative, isAbsolute, sep } from 'node:path';

export function encodeProjectDir(cwd: string): string {
  return cwd.replace(/[^a-zA-Z0-9]/g, '-');
}

/** True when `cwd` is `folder` or inside it. */
export function isInside(cwd: string, folder: string): boolean {
  if (!cwd || !folder) return false;
  const rel = relative(folder, cwd);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(sep));
}

export function isInsideAny(cwd: string, folders: readonly string[]): boolean {
  return folders.some((f) => isInside(cwd, f));
}

/**
 * The project folders under `roots` that may hold sessions of `folders`: the folder's own
 * encoding, and those of its subfolders (`<enc>-…`).
 */
export function projectDirsFor(roots: readonly string[], folders: readonly string[]): string[] {
  const encoded = folders.map(encodeProjectDir);
  const dirs: string[] = [];
  for (const root of roots) {
    let names: string[];
    try {
      names = readdirSync(root, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
    } catch {
      continue;
    }
    for (const name of names) {
      if (encoded.some((e) => name === e || name.startsWith(`${e}-`))) dirs.push(join(root, name));
    }
  }
  return dirs.sort();
}

/** Runs `fn` once, `ms` after the last call; `flush` runs a pending call now. */
export function debounce(fn: () => void, ms: number): { (): void; cancel(): void; flush(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const call = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
  call.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  call.flush = () => {
    if (!timer) return;
    call.cancel();
    fn();
  };
  return call;
}
