// Installs what the end-to-end tests need, once: the system packages (chromium, libkrb5-dev,
// ripgrep) and code-server 4.96.4 (VS Code 1.96 in the browser) in .vscode-test/code-server.
// The recipe and why each step is there: ../shared/E2E.md. A second run finds the marker file and
// returns at once. Exits non-zero, saying what to install, when it cannot install a system package.
//
//   node test/e2e/setup.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.96.4';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const installDir = join(root, '.vscode-test', 'code-server');
export const codeServerDir = join(installDir, 'node_modules', 'code-server');
export const entryScript = join(codeServerDir, 'out', 'node', 'entry.js');
const marker = join(installDir, `.ready-${CODE_SERVER_VERSION}`);
const APT_PACKAGES = ['chromium', 'libkrb5-dev', 'ripgrep'];
export const CHROMIUM = process.env.LOUPE_CHROMIUM ?? '/usr/bin/chromium';

function log(msg) {
  console.log(`[e2e setup] ${msg}`);
}

function run(cmd, args, cwd = root) {
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });
}

function missingSystemPackages() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  if (!existsSync('/usr/bin/rg')) missing.push('ripgrep');
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/krb5/krb5.h')) missing.push('libkrb5-dev');
  return missing;
}

function ensureSystemPackages() {
  let missing = missingSystemPackages();
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    log(`installing ${missing.join(' ')} with apt-get`);
    run('apt-get', ['update', '-qq']);
    execFileSync('apt-get', ['install', '-y', '-qq', ...APT_PACKAGES], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    missing = missingSystemPackages();
  }
  if (missing.length > 0) {
    throw new Error(
      `the end-to-end tests need system packages that are missing: ${missing.join(', ')}.\n` +
        `Install them with: sudo apt-get install -y ${APT_PACKAGES.join(' ')}\n` +
        `(or set LOUPE_CHROMIUM to a Chromium binary).`,
    );
  }
}

function ensureCodeServer() {
  if (existsSync(marker) && existsSync(entryScript)) return;
  log(`installing code-server ${CODE_SERVER_VERSION} into ${installDir} (about 2-3 minutes, once)`);
  rmSync(installDir, { recursive: true, force: true });
  mkdirSync(installDir, { recursive: true });
  writeFileSync(join(installDir, 'package.json'), JSON.stringify({ name: 'loupe-e2e-code-server', private: true }) + '\n');
  // Its postinstall refuses root and fetches from GitHub: the steps it would run follow by hand.
  run('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--ignore-scripts', '--no-save'], installDir);

  const vscodeDir = join(codeServerDir, 'lib', 'vscode');
  // The shrinkwrap points @vscode/proxy-agent at a git+ssh URL; the registry has the same version
  // with the same integrity hash.
  const shrinkwrapPath = join(vscodeDir, 'npm-shrinkwrap.json');
  const shrinkwrap = readFileSync(shrinkwrapPath, 'utf8').replace(
    /"resolved": "git\+ssh:\/\/git@github\.com\/microsoft\/vscode-proxy-agent\.git#[0-9a-f]+"/,
    '"resolved": "https://registry.npmjs.org/@vscode/proxy-agent/-/proxy-agent-0.27.0.tgz"',
  );
  writeFileSync(shrinkwrapPath, shrinkwrap);
  run('npm', ['install', '--omit=dev', '--ignore-scripts'], vscodeDir);
  // ripgrep's postinstall downloads a binary unless bin/ exists: use Debian's.
  const rgBin = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgBin, { recursive: true });
  if (!existsSync(join(rgBin, 'rg'))) symlinkSync('/usr/bin/rg', join(rgBin, 'rg'));
  run('npm', ['rebuild'], vscodeDir);
  const link = (target, path) => {
    rmSync(path, { force: true });
    symlinkSync(target, path);
  };
  link('node_modules', join(vscodeDir, 'node_modules.asar'));
  link('code-linux.sh', join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
  run('npm', ['install', '--omit=dev'], join(vscodeDir, 'extensions'));
  // argon2 (a native module of code-server's own) is built from source here; code-server's own
  // postinstall is left out again (it refuses root).
  run('npm', ['rebuild', 'argon2'], installDir);
  writeFileSync(marker, new Date().toISOString() + '\n');
  log('code-server ready');
}

export function setup() {
  const started = Date.now();
  ensureSystemPackages();
  ensureCodeServer();
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    setup();
  } catch (err) {
    console.error(`[e2e setup] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
