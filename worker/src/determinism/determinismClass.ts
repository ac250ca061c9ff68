/**
 * A determinism class: everything that must match for two greedy runs of the same model to give the same bytes, so
 * that a committee member's re-run can be compared with the provider's output. Two providers in the same class that
 * both run honestly produce identical outputs; across classes they may not (a different engine build, thread count,
 * batch composition, dtype or GPU kernels reorder floating-point sums and can flip a greedy choice).
 *
 * It is read from the engine as configured and running (its reported build, its config), never typed in by hand, and
 * named by `id`: keccak256 of the canonical JSON of its fields (sorted keys), so any two workers agree on it.
 *
 * API: determinismClass(parameters): DeterminismClass — { fields, id }
 */
import { keccak256, stringToHex, type Hex } from "viem";

export type LlamaCppClassParameters = {
  engine: "llama.cpp";
  /** The engine's exact build, as `Engine.info().version` reports it (library, llama.cpp release, backend). */
  version: string;
  /** Threads that run the matrix products: their count changes how sums are split, so it is part of the class. */
  threads: number;
  /** 0 for CPU-only; any offload runs GPU kernels whose results differ from the CPU's. */
  gpuLayers: number | "auto";
  contextSize: number;
};
export type VllmClassParameters = {
  engine: "vllm";
  version: string;
  /** vLLM's batch-invariant kernels (VLLM_BATCH_INVARIANT=1): without them outputs depend on the batch. */
  batchInvariant: boolean;
  dtype: string;
  maxModelLen: number;
  tensorParallel: number;
  pipelineParallel: number;
  /** GPU model and compute capability, e.g. "NVIDIA H200 sm_90": kernels are chosen per architecture. */
  gpu: string;
};
export type DeterminismClassParameters = LlamaCppClassParameters | VllmClassParameters;
export type DeterminismClass = { fields: DeterminismClassParameters; id: Hex };

/** Serialises with sorted keys at every level, so the same fields always give the same bytes. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

export function determinismClass(fields: DeterminismClassParameters): DeterminismClass {
  return { fields, id: keccak256(stringToHex(`octo/determinism-class/v1:${canonicalJson(fields)}`)) };
}
