/**
 * What a verifiable offer needs from its engine, checked before the engine starts, and the determinism class it then
 * declares (read from the engine as configured and running).
 *
 * API:
 *   assertVerifiableEngine(offer, { gpus, modelBytes? })  throws EngineConfigError naming why the engine cannot
 *     guarantee that a busy run equals a validator's run alone (a verifiable offer only)
 *   offerClass(offer, { info, gpus }): DeterminismClass
 */
import { statSync } from "node:fs";
import type { ModelOffer } from "../config/configSchema.ts";
import { EngineConfigError } from "../engines/errors.ts";
import type { EngineInfo } from "../engines/types.ts";
import { determinismClass, type DeterminismClass } from "./determinismClass.ts";
import type { GpuInfo } from "./readGpus.ts";

/** vLLM's batch-invariant kernels need this compute capability (vLLM's docs, "Batch invariance"). */
export const BATCH_INVARIANT_MIN_COMPUTE_CAPABILITY = 8.0;
/** Below this size the llama.cpp engine runs one thread unless told otherwise (createLlamaCppEngine). */
const TINY_MODEL_BYTES = 64 * 1024 * 1024;

/** The llama.cpp thread count the engine will run, or why it cannot be known. */
function llamaThreads(engine: Extract<ModelOffer["engine"], { kind: "llamaCpp" }>): number {
  if (engine.threads !== undefined) return engine.threads;
  if (statSync(engine.modelPath).size < TINY_MODEL_BYTES) return 1;
  throw new EngineConfigError(
    "engine.threads",
    "must be set for a verifiable offer: llama.cpp's default follows the host's cores, and the thread count is part of what a validator must match",
  );
}

export function assertVerifiableEngine(offer: ModelOffer, { gpus }: { gpus: readonly GpuInfo[] }): void {
  if (!offer.verifiable) return;
  const e = offer.engine;
  if (e.kind === "llamaCpp") {
    llamaThreads(e);
    return;
  }
  const weak = gpus.filter((g) => g.computeCapability < BATCH_INVARIANT_MIN_COMPUTE_CAPABILITY);
  if (gpus.length === 0 || weak.length > 0) {
    const found =
      gpus.length === 0
        ? "no NVIDIA GPU (nvidia-smi found none)"
        : weak.map((g) => `${g.name} (compute capability ${g.computeCapability})`).join(", ");
    throw new EngineConfigError(
      "verifiable",
      `cannot be true on vLLM here: its batch-invariant kernels need NVIDIA GPUs of compute capability ≥ ${BATCH_INVARIANT_MIN_COMPUTE_CAPABILITY.toFixed(1)}, found ${found}. Without them a job's output depends on the jobs batched with it, and an honest provider can be voted at fault. Serve this offer on such GPUs, or set "verifiable": false`,
    );
  }
}

export function offerClass(
  offer: ModelOffer,
  { info, gpus }: { info: EngineInfo; gpus: readonly GpuInfo[] },
): DeterminismClass {
  const e = offer.engine;
  if (e.kind === "llamaCpp")
    return determinismClass({
      engine: "llama.cpp",
      version: info.version,
      threads: llamaThreads(e),
      gpuLayers: e.gpuLayers,
      contextSize: info.contextSize,
    });
  return determinismClass({
    engine: "vllm",
    version: info.version,
    batchInvariant: offer.verifiable,
    dtype: "auto",
    maxModelLen: info.contextSize,
    tensorParallel: e.tensorParallel,
    pipelineParallel: e.pipelineParallel,
    gpu: gpus.map((g) => `${g.name} sm_${Math.round(g.computeCapability * 10)}`).join(" + ") || "none",
  });
}
