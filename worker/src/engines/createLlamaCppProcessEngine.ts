// The llama.cpp engine as the worker runs it: in a supervised child process of its own (see child/createChildEngine).
// node-llama-cpp drives every token from JavaScript, handing work to and from its native threads; in the worker's own
// process each token also waited behind the worker's claims, signing and stream sealing, and generation ran 30–45 %
// slower than with the engine alone. In its own process, pinned to one core of the 2-core CI machine, it keeps pace
// with the engine alone except in a burst's first jobs (worker/README.md), and a native crash costs a restart, not
// the worker.
import { basename } from "node:path";
import { createChildEngine, type ChildEngine, type CreateChildEngineParameters } from "./child/createChildEngine.ts";
import type { LlamaCppChildOptions } from "./child/llamaCppChild.ts";
import type { CreateLlamaCppEngineParameters } from "./createLlamaCppEngine.ts";
import { createLlamaCppTokenCounter, type LlamaCppTokenCounter } from "./createLlamaCppTokenCounter.ts";
import type { EngineLogger } from "./types.ts";

export type CreateLlamaCppProcessEngineParameters = CreateLlamaCppEngineParameters & {
  /** CPUs to pin the engine process to, in taskset's list format ("0", "2-3"); Linux only. Default: not pinned. */
  cpus?: string;
  logger?: EngineLogger;
  /** Restart and stop timings (defaults suit production; tests shorten them). */
  supervision?: Pick<
    CreateChildEngineParameters<unknown>,
    "restartDelayMs" | "maxRestartDelayMs" | "maxCrashes" | "crashWindowMs" | "stopTimeoutMs"
  >;
};

export async function createLlamaCppProcessEngine({
  onLoadProgress,
  metrics,
  logger,
  cpus,
  supervision,
  ...options
}: CreateLlamaCppProcessEngineParameters): Promise<ChildEngine> {
  // The vocabulary loads here while the model loads in the engine's process; the engine is not returned before both.
  let counter: LlamaCppTokenCounter | undefined;
  const [started, counted] = await Promise.allSettled([
    createChildEngine<LlamaCppChildOptions>({
      entry: new URL("./child/llamaCppChild.ts", import.meta.url),
      options,
      id: options.id ?? basename(options.modelPath),
      countTokens: (text) => counter!.countTokens(text),
      ...(cpus === undefined ? {} : { cpus }),
      ...(onLoadProgress ? { onLoadProgress } : {}),
      ...(metrics ? { metrics } : {}),
      ...(logger ? { logger } : {}),
      ...supervision,
    }),
    createLlamaCppTokenCounter({ modelPath: options.modelPath }),
  ]);
  // The engine's own error says more (a config field, the unreadable file); whatever did start is released.
  if (started.status === "rejected") {
    if (counted.status === "fulfilled") await counted.value.dispose();
    throw started.reason;
  }
  if (counted.status === "rejected") {
    await started.value.stop();
    throw counted.reason;
  }
  const engine = started.value;
  counter = counted.value;
  const vocabulary = counter;
  return {
    ...engine,
    async stop() {
      await engine.stop();
      await vocabulary.dispose();
    },
  };
}
