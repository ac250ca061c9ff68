// The exact `vllm serve` argv for one model. Flag names as in vLLM's engine arguments
// (https://docs.vllm.ai/en/latest/configuration/engine_args.html); values are validated here so a bad config fails
// before a GPU is touched.
import { EngineConfigError } from "./errors.ts";

export type VllmConfig = {
  /** Hugging Face id or local path of the model (positional argument of `vllm serve`). */
  model: string;
  /** Name clients use in requests; defaults to `model`. */
  servedModelName?: string;
  /** Executable; default `vllm` (e.g. a virtualenv's bin/vllm). */
  executable?: string;
  host?: string;
  port: number;
  /** Global seed of the engine (per-request seeds are sent with each completion). Default 0. */
  seed?: number;
  /** Fraction of each GPU's memory vLLM may use, in (0, 1]. */
  gpuMemoryUtilization?: number;
  /** GPUs per pipeline stage (usually the GPUs of one node). */
  tensorParallelSize?: number;
  /** Pipeline stages (usually the number of nodes). */
  pipelineParallelSize?: number;
  /**
   * "ray" is required across nodes (start the Ray cluster first: `ray start --head` / `ray start --address=…`);
   * "mp" (multiprocessing) works on one node. Default: "ray" when `multiNode`, else vLLM's own choice.
   */
  distributedExecutorBackend?: "ray" | "mp";
  /** The model spans several hosts: implies the Ray executor. */
  multiNode?: boolean;
  /**
   * Address of a running Ray cluster (`ray start --head` on the head node) for a multi-node model, e.g. "10.0.0.1:6379".
   * Passed as RAY_ADDRESS in the environment (vLLM has no flag for it); implies `multiNode`.
   */
  rayAddress?: string;
  /** Context window (prompt + output) in tokens. */
  maxModelLen?: number;
  dtype?: "auto" | "half" | "float16" | "bfloat16" | "float" | "float32";
  quantization?: string;
  /**
   * Where default sampling parameters come from. "vllm" (our default) ignores the model's generation_config.json, so a
   * repetition penalty shipped with a model cannot silently change greedy outputs of verifiable jobs.
   */
  generationConfig?: "vllm" | "auto";
  /**
   * Serve with vLLM's batch-invariant kernels (VLLM_BATCH_INVARIANT=1): a request's output no longer depends on what
   * else is in its batch, so a validator re-running a job alone gets the provider's bytes. Required for verifiable
   * offers; needs an NVIDIA GPU of compute capability ≥ 8.0 (checked by the worker before it starts the server).
   */
  batchInvariant?: boolean;
  /** Appended verbatim after everything else. */
  extraArgs?: readonly string[];
};

export type VllmCommandLine = { command: string; args: string[]; env: Record<string, string> };

export function vllmCommandLine(config: VllmConfig): VllmCommandLine {
  const {
    model,
    servedModelName = model,
    executable = "vllm",
    host = "127.0.0.1",
    port,
    seed = 0,
    gpuMemoryUtilization,
    tensorParallelSize,
    pipelineParallelSize,
    rayAddress,
    multiNode = rayAddress !== undefined,
    maxModelLen,
    dtype,
    quantization,
    generationConfig = "vllm",
    batchInvariant = false,
    extraArgs = [],
  } = config;
  if (!model) throw new EngineConfigError("vllm.model", "is required");
  if (!(Number.isInteger(port) && port > 0 && port < 65536))
    throw new EngineConfigError("vllm.port", `must be 1–65535 (got ${port})`);
  if (!(Number.isInteger(seed) && seed >= 0))
    throw new EngineConfigError("vllm.seed", `must be an integer ≥ 0 (got ${seed})`);
  if (gpuMemoryUtilization !== undefined && !(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1))
    throw new EngineConfigError("vllm.gpuMemoryUtilization", `must be in (0, 1] (got ${gpuMemoryUtilization})`);
  for (const [field, value] of [
    ["tensorParallelSize", tensorParallelSize],
    ["pipelineParallelSize", pipelineParallelSize],
    ["maxModelLen", maxModelLen],
  ] as const)
    if (value !== undefined && !(Number.isInteger(value) && value >= 1))
      throw new EngineConfigError(`vllm.${field}`, `must be an integer ≥ 1 (got ${value})`);
  if (multiNode && config.distributedExecutorBackend === "mp")
    throw new EngineConfigError("vllm.distributedExecutorBackend", `cannot be "mp" for a multi-node model (use "ray")`);
  const backend = config.distributedExecutorBackend ?? (multiNode ? "ray" : undefined);

  const args = [
    "serve",
    model,
    "--host",
    host,
    "--port",
    String(port),
    "--seed",
    String(seed),
    "--served-model-name",
    servedModelName,
  ];
  if (gpuMemoryUtilization !== undefined) args.push("--gpu-memory-utilization", String(gpuMemoryUtilization));
  if (tensorParallelSize !== undefined) args.push("--tensor-parallel-size", String(tensorParallelSize));
  if (pipelineParallelSize !== undefined) args.push("--pipeline-parallel-size", String(pipelineParallelSize));
  if (backend !== undefined) args.push("--distributed-executor-backend", backend);
  if (maxModelLen !== undefined) args.push("--max-model-len", String(maxModelLen));
  if (dtype !== undefined) args.push("--dtype", dtype);
  if (quantization !== undefined) args.push("--quantization", quantization);
  args.push("--generation-config", generationConfig);
  args.push(...extraArgs);
  const env: Record<string, string> = {};
  if (rayAddress) env.RAY_ADDRESS = rayAddress;
  if (batchInvariant) env.VLLM_BATCH_INVARIANT = "1";
  return { command: executable, args, env };
}
