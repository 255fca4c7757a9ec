// Integration tests of the commands through the VS Code API, in VS Code itself (Electron), with
// @vscode/test-electron. It downloads VS Code first; where that is impossible (these machines
// reach no download server) it says so and skips: the code-server suite (npm run test:e2e)
// tests the extension in a real VS Code there.
//
//   npm run test:electron
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeFixture } from '../fixture.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function canDownloadVsCode() {
  try {
    const res = await fetch('https://update.code.visualstudio.com/api/releases/stable', { signal: AbortSignal.timeout(8000) });
    return res.ok ? '' : `HTTP ${res.status}`;
  } catch (err) {
    return err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
  }
}

async function main() {
  const why = await canDownloadVsCode();
  if (why) {
    console.log(`[electron] SKIPPED: @vscode/test-electron cannot download VS Code from this machine (${why}). ` + 'The code-server suite (npm run test:e2e) covers the extension in a real VS Code here.');
    return;
  }
  const { runTests } = await import('@vscode/test-electron');
  const fx = makeFixture();
  await runTests({
    version: '1.96.4',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'test', 'e2e', 'electron', 'suite.cjs'),
    launchArgs: [fx.ws, '--user-data-dir', fx.userData, '--extensions-dir', fx.extensions, '--disable-workspace-trust', '--disable-extensions'],
    extensionTestsEnv: { LOUPE_E2E_TRANSCRIPT: fx.transcript },
  });
}

main().catch((err) => {
  console.error(`[electron] FAILED: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
