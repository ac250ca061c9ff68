// The one interface the pipeline uses to run a model, whatever runs it (llama.cpp in a child process or in this one,
// vLLM as a supervised server).

/** Why generation ended: the model emitted end-of-generation ("stop") or `maxTokens` were generated ("length"). */
export type FinishReason = "stop" | "length";

export type GenerateParameters = {
  /** Raw completion prompt (no chat template is applied; the job carries the exact text the model sees). */
  prompt: string;
  /** Upper bound on generated tokens, ≥ 1. Prompt tokens + maxTokens must fit the context, else PromptTooLongError. */
  maxTokens: number;
  /** 0 = greedy decoding: what verifiable jobs use, deterministic for a fixed model, engine version and config. */
  temperature: number;
  /** Nucleus sampling (with temperature > 0): sample from the smallest set of tokens whose probabilities add up to
   *  this, in (0, 1]. Undefined: the engine's default (1 for vLLM; node-llama-cpp's 0.95). */
  topP?: number | undefined;
  /** Sampling seed; with temperature > 0 the same seed on the same engine and config gives the same output. */
  seed: number;
  /** Aborting rejects with GenerationAbortedError and frees the engine for the next job. */
  signal?: AbortSignal;
};

/**
 * Called with each piece of decoded text, in order, as soon as it is known (index 0, 1, 2, …). The pieces concatenate to
 * exactly `GenerateReturnType.text`; a piece never ends inside a UTF-8 character. The callback must not throw.
 */
export type OnToken = (text: string, index: number) => void;

export type GenerateReturnType = {
  text: string;
  /** Tokens in the prompt as the engine saw it (BOS included where the model adds one). */
  promptTokens: number;
  /** Tokens the model generated (an end-of-generation token included): the count a job is paid for. */
  tokens: number;
  finishReason: FinishReason;
};

export type EngineKind = "llama.cpp" | "vllm";

export type EngineInfo = {
  engine: EngineKind;
  /** Exact engine build (e.g. `node-llama-cpp@3.22.1+llama.cpp@b6000/cpu`, `vllm@0.11.0`): part of a verifiable result. */
  version: string;
  /** The model as the engine names it (GGUF `general.name` or file name; vLLM's served model name). */
  model: string;
  /** Context window in tokens (prompt + output). */
  contextSize: number;
};

/**
 * `permanent`: the engine will not come back by itself (its supervisor gave up after a crash loop); jobs waiting on it
 * are better handed back to the market than left to run out their deadline. A stopped engine is not: the worker is
 * shutting down, and its jobs resume after the restart.
 */
export type EngineHealth = { healthy: true } | { healthy: false; reason: string; permanent?: boolean };

export type Engine = {
  /** Stable id chosen by the operator (config key), used in logs and metrics labels. */
  readonly id: string;
  info(): EngineInfo;
  health(): Promise<EngineHealth>;
  /**
   * Runs one completion. Rejects with PromptTooLongError before generating anything when the job cannot fit,
   * EngineUnavailableError / EngineCrashedError / EngineTimeoutError when the engine fails, GenerationAbortedError
   * on abort. Calls on one engine may overlap; an engine queues what it cannot run in parallel.
   */
  generate(parameters: GenerateParameters, onToken?: OnToken): Promise<GenerateReturnType>;
  /** Prompt tokens as `generate` would count them (BOS included). */
  countTokens(text: string): Promise<number>;
  /** Releases the model (and stops a supervised server). Idempotent; later calls reject with EngineUnavailableError. */
  stop(): Promise<void>;
};

/** One finished (or failed) generation, for metrics. */
export type GenerationRecord = {
  engineId: string;
  promptTokens: number;
  tokens: number;
  seconds: number;
  outcome: FinishReason | "aborted" | "error";
};

/** Restart of a supervised engine process, for metrics and logs. */
export type RestartRecord = {
  engineId: string;
  exitCode: number | null;
  signal: string | null;
  /** Consecutive crash count within the crash-loop window. */
  crashes: number;
  delayMs: number;
};

/**
 * Hooks the ops layer turns into Prometheus metrics (tokens counter, generation histogram, restarts counter, health
 * gauge). Every hook is optional and must not throw.
 */
export type EngineMetrics = {
  generation?(record: GenerationRecord): void;
  restart?(record: RestartRecord): void;
  health?(engineId: string, healthy: boolean): void;
};

/** The logging surface engines need; pino's logger satisfies it. */
export type EngineLogger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};
