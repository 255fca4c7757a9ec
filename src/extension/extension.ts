// Composition root of the extension host. The host adapts src/core to VS Code; the sidebar,
// commands, hovers and live ingest are built on this (see the extension issue).
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Loupe');
  context.subscriptions.push(output);
  output.appendLine(`Loupe ${context.extension.packageJSON.version as string} activated`);
}

export function deactivate(): void {
  // Nothing to flush yet: the store saves on every write.
}
