// Runs inside VS Code's extension host (see run.mjs): the commands, called through the API.
const assert = require('node:assert/strict');
const vscode = require('vscode');

const SESSION_ID = '2dae8c1c-4fb5-4a54-b4c4-b72ca939c8eb';

async function eventually(what, fn, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const tests = {
  async 'every contributed command is registered'() {
    const ext = vscode.extensions.getExtension('loupe.loupe');
    await ext.activate();
    const all = await vscode.commands.getCommands(true);
    for (const c of ext.packageJSON.contributes.commands) assert.ok(all.includes(c.command), c.command);
  },
  async 'Compact Session opens a loupe: document of the workspace session'() {
    // The window ingests its workspace's sessions in the background on activation.
    const uri = await eventually('the session to be ingested', () => vscode.commands.executeCommand('loupe.compactSession', SESSION_ID, 4000));
    assert.equal(uri.scheme, 'loupe');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(), /^# Session context/);
  },
  async 'Export puts the compacted session on the clipboard within the budget'() {
    const tokens = await vscode.commands.executeCommand('loupe.exportContext', SESSION_ID, 4000);
    assert.ok(tokens > 0 && tokens <= 4000, String(tokens));
    assert.match(await vscode.env.clipboard.readText(), /recall e\d+/);
  },
  async 'Recall opens an event by its handle'() {
    const uri = await vscode.commands.executeCommand('loupe.recall', 'e1');
    assert.equal(uri.path, '/recall/e1.txt');
    assert.match((await vscode.workspace.openTextDocument(uri)).getText(), /^e1 · /);
  },
};

exports.run = async function run() {
  const failures = [];
  for (const [name, fn] of Object.entries(tests)) {
    try {
      await fn();
      console.log(`  ✔ ${name}`);
    } catch (err) {
      console.log(`  ✖ ${name}: ${err && err.stack}`);
      failures.push(name);
    }
  }
  if (failures.length) throw new Error(`${failures.length} test(s) failed: ${failures.join(', ')}`);
};
