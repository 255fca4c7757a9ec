// Crash-safe replacement of a whole file. sql.js writes the database in one piece, so the only
// safe way to save is: new bytes to a temporary file, make them durable, then rename over the
// old file. rename() is atomic on one file system, so a crash at any point leaves either the old
// or the new complete file at `path`, never a mix.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const TEMP_SUFFIX = '.tmp';

export function writeFileAtomic(filePath: string, bytes: Uint8Array): void {
  const dir = path.dirname(filePath);
  // Same folder as the target: rename across file systems is a copy, not atomic.
  const tmp = path.join(dir, `${tempPrefix(filePath)}${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  const fd = fs.openSync(tmp, 'wx');
  try {
    try {
      let written = 0;
      while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
      // Without this, rename can reach the disk before the data does, and a power cut leaves a
      // complete-looking but zero-filled file.
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    keepBackup(filePath);
    renameWithRetry(tmp, filePath);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDirectory(dir);
}

/**
 * Removes temporary files that a crashed save left behind (they can be as big as the database).
 * Only files older than `olderThanMs` go, so a save in progress in another process is spared.
 */
export function removeStaleTempFiles(filePath: string, olderThanMs: number): void {
  const dir = path.dirname(filePath);
  const prefix = tempPrefix(filePath);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const cutoff = Date.now() - olderThanMs;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) continue;
    const full = path.join(dir, name);
    try {
      if (fs.statSync(full).mtimeMs < cutoff) fs.rmSync(full, { force: true });
    } catch {
      // Vanished or unreadable: not ours to worry about.
    }
  }
}

function tempPrefix(filePath: string): string {
  return `.${path.basename(filePath)}.`;
}

/**
 * `<path>.bak` = the file being replaced. A hard link costs nothing (the old inode stays alive under
 * the second name after the rename); file systems without links get a copy. Made under a temporary
 * name and renamed, so a crash here never leaves a half-written .bak either.
 */
function keepBackup(filePath: string): void {
  if (!fs.existsSync(filePath)) return;
  const bak = `${filePath}.bak`;
  const tmpBak = path.join(
    path.dirname(filePath),
    `${tempPrefix(filePath)}bak.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`,
  );
  try {
    try {
      fs.linkSync(filePath, tmpBak);
    } catch {
      fs.copyFileSync(filePath, tmpBak);
    }
    renameWithRetry(tmpBak, bak);
  } catch (err) {
    fs.rmSync(tmpBak, { force: true });
    throw err;
  }
}

/** Windows refuses to replace a file another process (often a virus scanner) has open for a moment. */
function renameWithRetry(from: string, to: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      fs.renameSync(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const transient = process.platform === 'win32' && (code === 'EPERM' || code === 'EACCES' || code === 'EBUSY');
      if (!transient || attempt >= 10) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 * (attempt + 1));
    }
  }
}

/** Makes the rename itself durable. Some platforms (Windows, some network file systems) refuse it. */
function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR' && code !== 'EACCES' && code !== 'ENOTSUP') throw err;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
