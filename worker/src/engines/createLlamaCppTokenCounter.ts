// Counts a prompt's tokens as the llama.cpp engine does (BOS included where the model adds one), from the model's
// vocabulary alone: no weights are loaded. The worker counts every job's prompt before it generates; with the engine in
// its own process, counting here saves a round trip to that process at the moment a job could start.
import type { LlamaModel } from "node-llama-cpp";
import { loadLlama } from "./createLlamaCppEngine.ts";
import { EngineUnavailableError } from "./errors.ts";

export type LlamaCppTokenCounter = { countTokens(text: string): number; dispose(): Promise<void> };

export async function createLlamaCppTokenCounter({ modelPath }: { modelPath: string }): Promise<LlamaCppTokenCounter> {
  const llama = await loadLlama(false); // a vocabulary needs no GPU
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath, vocabOnly: true });
  } catch (cause) {
    throw new EngineUnavailableError(`cannot read the vocabulary of ${modelPath}`, { cause });
  }
  const bos = model.tokens.bos;
  const addBos = bos !== null && model.tokens.shouldPrependBosToken;
  return {
    countTokens: (text) => model.tokenize(text).length + (addBos ? 1 : 0),
    dispose: () => model.dispose(),
  };
}
