// The extension's settings, read in one place. Keys and defaults match package.json's
// contributes.configuration.
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

export type DistillerKind = 'extractive' | 'anthropic' | 'vscode-lm' | 'openai-compatible';

export interface LoupeConfig {
  tokenBudget: number;
  distiller: DistillerKind;
  model: string;
  endpoint: string;
  contextWindow: number;
  transcriptFolders: string[];
  autoIngest: boolean;
  forgetAfterDays: number;
  retentionDays: number;
}

export function readConfig(): LoupeConfig {
  const c = vscode.workspace.getConfiguration('loupe');
  return {
    tokenBudget: Math.max(200, c.get<number>('tokenBudget', 8000)),
    distiller: c.get<DistillerKind>('distiller', 'extractive'),
    model: c.get<string>('model', ''),
    // Restricted settings: VS Code hands back only the user's value in an untrusted workspace.
    endpoint: c.get<string>('endpoint', ''),
    contextWindow: Math.max(1000, c.get<number>('contextWindow', 200_000)),
    transcriptFolders: c.get<string[]>('transcriptFolders', []).map(expandHome),
    autoIngest: c.get<boolean>('autoIngest', true),
    // 0 turns a rule off; the defaults are core gc's (lifecycle/forget.ts).
    forgetAfterDays: c.get<number>('forgetAfterDays', 30),
    retentionDays: c.get<number>('retentionDays', 120),
  };
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
}
