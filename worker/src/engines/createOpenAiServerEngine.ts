// An Engine backed by a supervised OpenAI-compatible server process: vLLM in production (see createVllmEngine), our
// openaiCompatServer in tests. Resolves once the server is healthy; generate() waits briefly through a restart.
import { EngineCrashedError, EngineUnavailableError, PromptTooLongError } from "./errors.ts";
import { requestJson } from "./requestJson.ts";
import { streamCompletion } from "./streamCompletion.ts";
import { superviseServer, type ServerSupervisor, type SuperviseServerParameters } from "./superviseServer.ts";
import type { Engine, EngineInfo, EngineKind } from "./types.ts";

export type CreateOpenAiServerEngineParameters = SuperviseServerParameters & {
  engine: EngineKind;
  /** Longest a request waits for a restarting server before EngineUnavailableError. Default 30 s. */
  readyTimeoutMs?: number;
  /** Longest wait for the first token (queueing + prompt processing). Default 5 min. */
  firstTokenTimeoutMs?: number;
  /** Longest silence between tokens. Default 60 s. */
  idleTimeoutMs?: number;
  /** Timeout of control requests (/tokenize, /version, health probes). Default 10 s. */
  controlTimeoutMs?: number;
};

export type OpenAiServerEngine = Engine & { readonly supervisor: ServerSupervisor };

export async function createOpenAiServerEngine(
  parameters: CreateOpenAiServerEngineParameters,
): Promise<OpenAiServerEngine> {
  const {
    id,
    baseUrl,
    model,
    metrics,
    readyTimeoutMs = 30_000,
    firstTokenTimeoutMs = 5 * 60_000,
    idleTimeoutMs = 60_000,
    controlTimeoutMs = 10_000,
  } = parameters;
  const supervisor = superviseServer(parameters);
  await supervisor.start();

  const models = await requestJson({ url: `${baseUrl}/v1/models`, timeoutMs: controlTimeoutMs });
  const listed = (models.json as { data?: Array<{ id?: string; max_model_len?: number }> } | null)?.data?.find(
    (m) => m.id === model,
  );
  const version = await requestJson({ url: `${baseUrl}/version`, timeoutMs: controlTimeoutMs }).catch(() => undefined);
  const versionString = (version?.json as { version?: string } | null)?.version;
  const info: EngineInfo = {
    engine: parameters.engine,
    version: versionString ? (parameters.engine === "vllm" ? `vllm@${versionString}` : versionString) : "unknown",
    model,
    contextSize: listed?.max_model_len ?? 0,
  };

  const tokenize = async (prompt: string): Promise<{ count: number; maxModelLen: number }> => {
    const res = await requestJson({
      url: `${baseUrl}/tokenize`,
      method: "POST",
      body: { model, prompt },
      timeoutMs: controlTimeoutMs,
    });
    const body = res.json as { count?: number; max_model_len?: number } | null;
    if (res.status !== 200 || typeof body?.count !== "number")
      throw new EngineUnavailableError(`/tokenize answered HTTP ${res.status}`);
    return { count: body.count, maxModelLen: body.max_model_len ?? info.contextSize };
  };

  let stopping = false;
  return {
    id,
    supervisor,
    info: () => info,
    async health() {
      const state = supervisor.state();
      if (state !== "ready")
        return {
          healthy: false,
          reason: `${state}${supervisor.reason() ? `: ${supervisor.reason()}` : ""}`,
          permanent: state === "failed",
        };
      const res = await requestJson({ url: `${baseUrl}/health`, timeoutMs: controlTimeoutMs }).catch(
        (error: unknown) => error,
      );
      if (res instanceof Error) return { healthy: false, reason: res.message };
      return (res as { status: number }).status === 200
        ? { healthy: true }
        : { healthy: false, reason: `/health answered HTTP ${(res as { status: number }).status}` };
    },
    async generate(request, onToken) {
      if (stopping) throw new EngineUnavailableError(`${id} is stopping`);
      await supervisor.ready(readyTimeoutMs);
      const { crashSignal, release } = supervisor.acquire();
      const started = performance.now();
      let promptTokens = 0;
      try {
        // Checked before generating, as the llama.cpp engine does: a job that cannot fit is the job's fault.
        const { count, maxModelLen } = await tokenize(request.prompt);
        promptTokens = count;
        if (count + request.maxTokens > maxModelLen)
          throw new PromptTooLongError({ promptTokens: count, maxTokens: request.maxTokens, contextSize: maxModelLen });
        if (crashSignal.aborted)
          throw new EngineCrashedError("engine process exited before the request", { cause: crashSignal.reason });
        const result = await streamCompletion({
          ...request,
          baseUrl,
          model,
          crashSignal,
          firstTokenTimeoutMs,
          idleTimeoutMs,
          ...(onToken ? { onToken } : {}),
        });
        metrics?.generation?.({
          engineId: id,
          promptTokens: result.promptTokens,
          tokens: result.tokens,
          seconds: (performance.now() - started) / 1000,
          outcome: result.finishReason,
        });
        return result;
      } catch (error) {
        const aborted = (error as { fault?: string }).fault === "aborted";
        metrics?.generation?.({
          engineId: id,
          promptTokens,
          tokens: 0,
          seconds: (performance.now() - started) / 1000,
          outcome: aborted ? "aborted" : "error",
        });
        throw error;
      } finally {
        release();
      }
    },
    async countTokens(text) {
      await supervisor.ready(readyTimeoutMs);
      return (await tokenize(text)).count;
    },
    async stop() {
      stopping = true;
      await supervisor.stop();
    },
  };
}
