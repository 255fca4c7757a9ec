// Where Loupe keeps its own data when no --db is given (the extension uses its global storage).
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$LOUPE_DB`, else `loupe.db` in the platform's user data folder. */
export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env, platform = process.platform, home = homedir()): string {
  if (env.LOUPE_DB) return env.LOUPE_DB;
  return join(userDataDir(env, platform, home), 'loupe', 'loupe.db');
}

function userDataDir(env: NodeJS.ProcessEnv, platform: string, home: string): string {
  if (platform === 'win32') return env.LOCALAPPDATA || env.APPDATA || join(home, 'AppData', 'Local');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  return env.XDG_DATA_HOME || join(home, '.local', 'share');
}
