// The status bar item: the current session's context fill (`◔ 142k / 200k`), with the tokens by
// kind in its tooltip; clicking it opens the Loupe sidebar.
import * as vscode from 'vscode';
import { readConfig } from './config';
import { Disposable } from './disposable';
import { fillLabel, fillTooltip } from './lib/format';
import type { SessionDetail } from '../protocol';

export class ContextStatus extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('loupe.context', vscode.StatusBarAlignment.Right, 100));

  constructor() {
    super();
    this.item.name = 'Loupe Context Fill';
    this.item.command = 'workbench.view.extension.loupe';
  }

  show(detail: SessionDetail | null): void {
    if (!detail) {
      this.item.hide();
      return;
    }
    const window = detail.contextWindow || readConfig().contextWindow;
    this.item.text = fillLabel(detail.contextTokens, window, detail.contextSource);
    this.item.tooltip = fillTooltip(detail.title || detail.id, detail.contextTokens, window, detail.byKind, detail.contextSource);
    const about = detail.contextSource === 'usage' ? '' : detail.contextSource === 'calibrated' ? 'about ' : 'at least ';
    this.item.accessibilityInformation = { label: `Loupe context ${about}${detail.contextTokens} of ${window} tokens` };
    this.item.show();
  }
}
