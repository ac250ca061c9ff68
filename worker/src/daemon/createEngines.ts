// One engine per offered model, built from the config: llama.cpp in a supervised child process, or vLLM as a supervised subprocess.
import { createLlamaCppProcessEngine } from "../engines/createLlamaCppProcessEngine.ts";
import { createVllmEngine } from "../engines/createVllmEngine.ts";
import type { Engine, EngineLogger, EngineMetrics } from "../engines/types.ts";
import type { ModelOffer } from "../config/configSchema.ts";
import { assertVerifiableEngine } from "../determinism/offerClass.ts";
import type { GpuInfo } from "../determinism/readGpus.ts";

export type CreateEnginesParameters = {
  models: readonly ModelOffer[];
  logger: EngineLogger;
  metrics?: EngineMetrics;
  onLoadProgress?: (modelId: string, fraction: number) => void;
  /** The host's GPUs (readGpus): a verifiable vLLM offer is refused before its server starts unless they qualify. */
  gpus?: readonly GpuInfo[];
};

/** Engines keyed by lower-case model id. Stops the ones already started if a later one fails. */
export async function createEngines({
  models,
  logger,
  metrics,
  onLoadProgress,
  gpus = [],
}: CreateEnginesParameters): Promise<Map<string, Engine>> {
  const engines = new Map<string, Engine>();
  try {
    for (const m of models) assertVerifiableEngine(m, { gpus });
    for (const m of models) {
      const id = m.name ?? m.modelId.slice(0, 10);
      const e = m.engine;
      const engine =
        e.kind === "llamaCpp"
          ? await createLlamaCppProcessEngine({
              id,
              logger,
              modelPath: e.modelPath,
              contextSize: e.contextSize,
              gpuLayers: e.gpuLayers === "auto" ? "auto" : e.gpuLayers,
              gpu: e.gpuLayers === 0 ? false : "auto",
              ...(e.threads !== undefined ? { threads: e.threads } : {}),
              ...(e.cpus !== undefined ? { cpus: e.cpus } : {}),
              ...(onLoadProgress ? { onLoadProgress: (f: number) => onLoadProgress(m.modelId, f) } : {}),
              ...(metrics ? { metrics } : {}),
            })
          : await createVllmEngine({
              id,
              logger,
              ...(metrics ? { metrics } : {}),
              vllm: {
                model: e.model,
                port: e.port,
                tensorParallelSize: e.tensorParallel,
                pipelineParallelSize: e.pipelineParallel,
                gpuMemoryUtilization: e.gpuMemoryUtilization,
                maxModelLen: m.maxContext,
                seed: 0,
                extraArgs: e.extraArgs,
                batchInvariant: m.verifiable,
                ...(e.rayAddress ? { multiNode: true, rayAddress: e.rayAddress } : {}),
              },
            });
      engines.set(m.modelId.toLowerCase(), engine);
      logger.info({ modelId: m.modelId, engine: engine.info() }, "engine ready");
    }
  } catch (error) {
    await Promise.allSettled([...engines.values()].map((e) => e.stop()));
    throw error;
  }
  return engines;
}
