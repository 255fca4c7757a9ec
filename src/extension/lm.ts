// The `vscode-lm` distiller: the user's installed chat models through vscode.lm (no API key; VS
// Code asks the user's consent the first time). Used by the LLM-backed features (progressive
// read, LLM distillation) as they land; errors say what to do.
import * as vscode from 'vscode';
import type { LoupeConfig } from './config';

export class LanguageModelUnavailableError extends Error {}

/** Picks the chat model named by `loupe.model` (id or family), else the first one installed. */
export async function selectLanguageModel(config: Pick<LoupeConfig, 'model'>): Promise<vscode.LanguageModelChat> {
  const wanted = config.model.trim();
  const models = await vscode.lm.selectChatModels(wanted ? { family: wanted } : {});
  const byId = wanted ? (await vscode.lm.selectChatModels({})).filter((m) => m.id === wanted) : [];
  const model = byId[0] ?? models[0];
  if (!model) {
    throw new LanguageModelUnavailableError(
      wanted
        ? `no installed chat model matches loupe.model "${wanted}". Install a chat extension that provides it (e.g. GitHub Copilot Chat), or clear loupe.model to use any installed model.`
        : 'no chat models are installed. Install a chat extension (e.g. GitHub Copilot Chat) and sign in, or set loupe.distiller to "extractive".',
    );
  }
  return model;
}

/** One prompt, the whole answer as text. Cancellation and consent are VS Code's. */
export async function completeWithLanguageModel(model: vscode.LanguageModelChat, prompt: string, token: vscode.CancellationToken): Promise<string> {
  try {
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(prompt)], {
      justification: 'Loupe distils agent sessions into a shorter context with your chat model.',
    }, token);
    let text = '';
    for await (const chunk of response.text) text += chunk;
    return text;
  } catch (err) {
    if (err instanceof vscode.LanguageModelError) {
      if (err.code === vscode.LanguageModelError.NoPermissions.name) {
        throw new LanguageModelUnavailableError('Loupe may not use this chat model: allow it when VS Code asks, or set loupe.distiller to "extractive".');
      }
      if (err.code === vscode.LanguageModelError.Blocked.name) {
        throw new LanguageModelUnavailableError('the chat model refused the request (quota or policy). Try again later or set loupe.distiller to "extractive".');
      }
    }
    throw err;
  }
}
