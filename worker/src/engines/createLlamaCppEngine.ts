// The llama.cpp engine through node-llama-cpp, in the calling process (the worker runs it in a child process of its
// own: createLlamaCppProcessEngine): CPU here, CUDA/Metal/Vulkan where a GPU build is installed.
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { getLlama, LlamaLogLevel, type Llama, type LlamaContext, type LlamaModel, type Token } from "node-llama-cpp";
import {
  EngineConfigError,
  EngineError,
  EngineRequestError,
  EngineUnavailableError,
  GenerationAbortedError,
  PromptTooLongError,
} from "./errors.ts";
import type {
  Engine,
  EngineInfo,
  EngineMetrics,
  FinishReason,
  GenerateParameters,
  GenerateReturnType,
  OnToken,
} from "./types.ts";

export type CreateLlamaCppEngineParameters = {
  /** Path to a GGUF file. */
  modelPath: string;
  /** Engine id for logs and metrics; defaults to the file name. */
  id?: string;
  /**
   * CPU threads for evaluation. Default: 1 for models under 64 MB (a tiny model gains nothing from threads and the
   * thread pool's spinning made decoding ~300× slower on a 2-core host), otherwise node-llama-cpp's default (all math
   * cores). With all layers on a GPU this matters little.
   */
  threads?: number;
  /** GPU backend: "auto" uses one where a GPU build is installed and a device exists; false forces CPU. */
  gpu?: "auto" | false | "cuda" | "vulkan" | "metal";
  /** Layers to offload to the GPU: "auto" (fit what VRAM allows), "max", or a count. Ignored on CPU. */
  gpuLayers?: "auto" | "max" | number;
  /** Context window in tokens (prompt + output). Default: the model's training context, at most 4096. */
  contextSize?: number;
  /** Called with the load fraction (0–1] while the weights load: for the terminal progress display. */
  onLoadProgress?: (fraction: number) => void;
  metrics?: EngineMetrics;
};

const TINY_MODEL_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_CONTEXT = 4096;
const REPLACEMENT_CHAR = "\uFFFD";
/** Longest UTF-8 sequence: a piece ending in U+FFFD is held back for at most this many tokens. */
const MAX_HELD_TOKENS = 4;
/** Prompt tokens given to the detokenizer as context, so a leading space of the first output token survives. */
const DETOKENIZE_CONTEXT = 8;

/** What a running generation has produced so far, readable by an abort that arrives between tokens. */
type Progress = { generated: Token[]; emitted: string[] };

const llamas = new Map<string, Promise<Llama>>();

/** Loads the model and creates its context. Resolves once the engine can generate. */
export async function createLlamaCppEngine(parameters: CreateLlamaCppEngineParameters): Promise<Engine> {
  const { modelPath, gpu = "auto", gpuLayers = "auto", onLoadProgress, metrics } = parameters;
  const id = parameters.id ?? basename(modelPath);
  if (parameters.threads !== undefined && !(Number.isInteger(parameters.threads) && parameters.threads >= 1))
    throw new EngineConfigError("threads", `must be an integer ≥ 1 (got ${parameters.threads})`);
  if (
    parameters.contextSize !== undefined &&
    !(Number.isInteger(parameters.contextSize) && parameters.contextSize >= 16)
  )
    throw new EngineConfigError("contextSize", `must be an integer ≥ 16 (got ${parameters.contextSize})`);

  let fileBytes: number;
  try {
    fileBytes = statSync(modelPath).size;
  } catch (cause) {
    throw new EngineUnavailableError(`model file not readable: ${modelPath}`, { cause });
  }

  const llama = await loadLlama(gpu);
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath, gpuLayers, ...(onLoadProgress ? { onLoadProgress } : {}) });
  } catch (cause) {
    throw new EngineUnavailableError(`cannot load ${modelPath}`, { cause });
  }
  const threads = parameters.threads ?? (fileBytes < TINY_MODEL_BYTES ? 1 : undefined);
  const contextSize = parameters.contextSize ?? Math.min(model.trainContextSize, DEFAULT_MAX_CONTEXT);
  let context: LlamaContext;
  try {
    context = await model.createContext({ contextSize, ...(threads !== undefined ? { threads } : {}) });
  } catch (cause) {
    await model.dispose();
    throw new EngineUnavailableError(`cannot create a ${contextSize}-token context for ${modelPath}`, { cause });
  }
  const sequence = context.getSequence();
  const bos = model.tokens.bos;
  const addBos = bos !== null && model.tokens.shouldPrependBosToken;

  const info: EngineInfo = {
    engine: "llama.cpp",
    version: `node-llama-cpp@${nodeLlamaCppVersion()}+llama.cpp@${llama.llamaCppRelease.release}/${llama.gpu || "cpu"}`,
    model: model.fileInfo.metadata.general?.name || basename(modelPath),
    contextSize: context.contextSize,
  };

  let stopped = false;
  let queue: Promise<unknown> = Promise.resolve();

  const promptTokens = (text: string): Token[] => (addBos ? [bos, ...model.tokenize(text)] : model.tokenize(text));

  async function run(
    request: GenerateParameters,
    onToken: OnToken | undefined,
    progress: Progress,
  ): Promise<GenerateReturnType> {
    const { maxTokens, temperature, topP, seed, signal } = request;
    if (!(Number.isInteger(maxTokens) && maxTokens >= 1))
      throw new EngineRequestError(`maxTokens must be an integer ≥ 1 (got ${maxTokens})`);
    if (!(temperature >= 0)) throw new EngineRequestError(`temperature must be ≥ 0 (got ${temperature})`);
    if (topP !== undefined && !(topP > 0 && topP <= 1))
      throw new EngineRequestError(`topP must be in (0, 1] (got ${topP})`);
    const input = promptTokens(request.prompt);
    if (input.length + maxTokens > info.contextSize)
      throw new PromptTooLongError({ promptTokens: input.length, maxTokens, contextSize: info.contextSize });

    const started = performance.now();
    const generated: Token[] = progress.generated;
    const textTokens: Token[] = [];
    const emitted: string[] = progress.emitted;
    let held: Token[] = [];
    let finishReason: FinishReason = "length";
    const outcome = (o: FinishReason | "aborted" | "error") =>
      metrics?.generation?.({
        engineId: id,
        promptTokens: input.length,
        tokens: generated.length,
        seconds: (performance.now() - started) / 1000,
        outcome: o,
      });
    const context = (): Token[] =>
      textTokens.length > 0 ? textTokens.slice(-DETOKENIZE_CONTEXT) : input.slice(-DETOKENIZE_CONTEXT);
    const flush = (force: boolean): void => {
      if (held.length === 0) return;
      const piece = model.detokenize(held, false, context());
      if (!force && piece.endsWith(REPLACEMENT_CHAR) && held.length < MAX_HELD_TOKENS) return;
      textTokens.push(...held);
      held = [];
      if (piece === "") return;
      emitted.push(piece);
      onToken?.(piece, emitted.length - 1);
    };
    const aborted = (): GenerationAbortedError => {
      flush(true);
      return new GenerationAbortedError({ text: emitted.join(""), tokens: generated.length, cause: signal?.reason });
    };

    try {
      if (signal?.aborted) throw aborted();
      await sequence.clearHistory(); // every job starts from an empty context: output never depends on earlier jobs
      const options =
        temperature === 0 ? { temperature: 0 } : { temperature, seed, ...(topP === undefined ? {} : { topP }) };
      for await (const token of sequence.evaluate(input, { ...options, yieldEogToken: true })) {
        generated.push(token);
        if (model.isEogToken(token)) {
          finishReason = "stop";
          break;
        }
        held.push(token);
        flush(false);
        if (signal?.aborted) throw aborted();
        if (generated.length >= maxTokens) break;
      }
      flush(true);
    } catch (error) {
      outcome(error instanceof GenerationAbortedError ? "aborted" : "error");
      if (error instanceof EngineError) throw error;
      throw new EngineError("llama.cpp generation failed", { cause: error });
    }
    outcome(finishReason);
    const text = model.detokenize(textTokens, false, input.slice(-DETOKENIZE_CONTEXT));
    return { text, promptTokens: input.length, tokens: generated.length, finishReason };
  }

  return {
    id,
    info: () => info,
    async health() {
      return stopped ? { healthy: false, reason: "stopped" } : { healthy: true };
    },
    generate(request, onToken) {
      if (stopped) return Promise.reject(new EngineUnavailableError(`${id} is stopped`));
      // One sequence, so jobs run one at a time, in arrival order; an aborted job leaves the queue at its next token.
      const progress: Progress = { generated: [], emitted: [] };
      const result = queue.then(() => {
        if (stopped) throw new EngineUnavailableError(`${id} is stopped`);
        return run(request, onToken, progress);
      });
      queue = result.catch(() => undefined);
      return rejectOnAbort(result, request.signal, progress);
    },
    async countTokens(text) {
      if (stopped) throw new EngineUnavailableError(`${id} is stopped`);
      return promptTokens(text).length;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await queue;
      await context.dispose();
      await model.dispose();
    },
  };
}

export function loadLlama(gpu: CreateLlamaCppEngineParameters["gpu"] & {}): Promise<Llama> {
  const key = String(gpu);
  let llama = llamas.get(key);
  if (!llama) {
    // build: "never": use the shipped prebuilt binaries; a provider never compiles llama.cpp at job time.
    llama = getLlama({ gpu, build: "never", logLevel: LlamaLogLevel.warn, progressLogs: false });
    llama.catch(() => llamas.delete(key));
    llamas.set(key, llama);
  }
  return llama.catch((cause: unknown) => {
    throw new EngineUnavailableError(`no usable llama.cpp binding for gpu=${key}`, { cause });
  });
}

let version: string | undefined;
function nodeLlamaCppVersion(): string {
  // The package exports no package.json; read it next to its resolved entry point (dist/index.js).
  version ??= (
    JSON.parse(
      readFileSync(
        join(dirname(createRequire(import.meta.url).resolve("node-llama-cpp")), "..", "package.json"),
        "utf8",
      ),
    ) as { version: string }
  ).version;
  return version;
}

/**
 * Settles with `work`, or rejects as soon as `signal` aborts: a caller never waits for a long prompt evaluation (or a
 * queued job ahead of it) to notice its abort. The work itself stops at its next token.
 */
function rejectOnAbort<T>(work: Promise<T>, signal: AbortSignal | undefined, progress: Progress): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(
        new GenerationAbortedError({
          text: progress.emitted.join(""),
          tokens: progress.generated.length,
          cause: signal.reason,
        }),
      );
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
