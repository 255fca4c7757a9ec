// The sidebar webview view in the Loupe activity-bar container, and the visualiser editor panel.
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import type { ViewState } from './state';
import { WebviewConnection, webviewHtml, webviewOptions } from './webview';

export const SIDEBAR_VIEW_ID = 'loupe.sidebar';

export class SidebarProvider extends Disposable implements vscode.WebviewViewProvider {
  private connection: WebviewConnection | undefined;

  constructor(private readonly extensionUri: vscode.Uri, private readonly state: ViewState, private readonly output: vscode.OutputChannel) {
    super();
    this._register(vscode.window.registerWebviewViewProvider(SIDEBAR_VIEW_ID, this));
    this._register({ dispose: () => this.connection?.dispose() });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.connection?.dispose();
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'sidebar');
    // A hidden view is not kept alive: when shown again its webview sends `ready` and gets a snapshot.
    this.connection = new WebviewConnection(view.webview, this.state, 'sidebar', () => view.visible, this.output);
    view.onDidDispose(() => {
      this.connection?.dispose();
      this.connection = undefined;
    });
  }
}

export class VisualiserPanel extends Disposable {
  private static current: VisualiserPanel | undefined;

  static show(extensionUri: vscode.Uri, state: ViewState, output: vscode.OutputChannel): void {
    if (VisualiserPanel.current) {
      VisualiserPanel.current.panel.reveal();
      return;
    }
    VisualiserPanel.current = new VisualiserPanel(extensionUri, state, output);
  }

  private readonly panel: vscode.WebviewPanel;

  private constructor(extensionUri: vscode.Uri, state: ViewState, output: vscode.OutputChannel) {
    super();
    this.panel = this._register(
      vscode.window.createWebviewPanel('loupe.visualiser', 'Loupe Visualiser', vscode.ViewColumn.Active, webviewOptions(extensionUri)),
    );
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'loupe.svg');
    this.panel.webview.html = webviewHtml(this.panel.webview, extensionUri, 'panel');
    this._register(new WebviewConnection(this.panel.webview, state, 'panel', () => this.panel.visible, output));
    this._register(this.panel.onDidDispose(() => this.dispose()));
  }

  override dispose(): void {
    VisualiserPanel.current = undefined;
    super.dispose();
  }
}
