// vLLM as a supervised subprocess: `vllm serve` with the configured parallelism, driven over its OpenAI-compatible API.
import {
  createOpenAiServerEngine,
  type CreateOpenAiServerEngineParameters,
  type OpenAiServerEngine,
} from "./createOpenAiServerEngine.ts";
import { vllmCommandLine, type VllmConfig } from "./vllmCommandLine.ts";

export type CreateVllmEngineParameters = Omit<
  CreateOpenAiServerEngineParameters,
  "engine" | "command" | "args" | "baseUrl" | "model" | "id"
> & {
  vllm: VllmConfig;
  /** Defaults to the served model name. */
  id?: string;
};

export function createVllmEngine({ vllm, id, ...rest }: CreateVllmEngineParameters): Promise<OpenAiServerEngine> {
  const { command, args, env } = vllmCommandLine(vllm);
  const host = vllm.host ?? "127.0.0.1";
  const model = vllm.servedModelName ?? vllm.model;
  return createOpenAiServerEngine({
    ...rest,
    id: id ?? model,
    engine: "vllm",
    command,
    args,
    env: { ...(rest.env ?? process.env), ...env },
    baseUrl: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${vllm.port}`,
    model,
  });
}
