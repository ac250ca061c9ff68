// The child side of an engine that runs in its own process: builds the engine from the options in argv, then answers
// the worker's requests over the IPC channel until told to stop. The process boundary keeps the engine's per-token
// JavaScript and native code away from the worker's event loop, lets the operator pin the engine to its own CPUs,
// and turns a native crash (an abort inside llama.cpp, an out-of-memory kill) into a restartable engine failure
// instead of the end of the worker.
import type { Engine, EngineMetrics } from "../types.ts";
import { serializeEngineError, type FromEngineChild, type ToEngineChild } from "./childEngineProtocol.ts";

/** Pieces go to the worker in batches, at most this long after the first of a batch was generated… */
const TOKEN_BATCH_MS = 20;
/** …or once this many are waiting. */
const TOKEN_BATCH_MAX = 64;

/** What the engine may report while it runs; the worker turns these into its own callbacks. */
export type EngineChildHooks = {
  onLoadProgress: (fraction: number) => void;
  metrics: EngineMetrics;
};

export async function serveEngineInChild<Options>(
  create: (options: Options, hooks: EngineChildHooks) => Promise<Engine>,
): Promise<void> {
  if (!process.send) throw new Error("serveEngineInChild runs only in a process forked with an IPC channel");
  const post = (message: FromEngineChild) => void process.send!(message);
  // The worker is gone (killed, crashed): nobody will read another result, so no orphan keeps the model loaded.
  process.on("disconnect", () => process.exit(0));
  // The worker decides when the engine stops (after draining); a Ctrl-C or SIGTERM sent to the whole process group
  // must not kill the engine under a job the worker is still finishing.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => undefined);

  let engine: Engine;
  try {
    engine = await create(JSON.parse(process.argv[2] ?? "{}") as Options, {
      onLoadProgress: (fraction) => post({ type: "loadProgress", fraction }),
      metrics: { generation: (record) => post({ type: "generation", record }) },
    });
  } catch (error) {
    // Disconnect (and so exit) only once the failure is on its way to the worker.
    process.send({ type: "loadFailed", error: serializeEngineError(error) } satisfies FromEngineChild, () =>
      process.disconnect(),
    );
    return;
  }

  const aborts = new Map<number, AbortController>();
  process.on("message", (message: ToEngineChild) => {
    switch (message.type) {
      case "generate": {
        const { id, request, streamTokens } = message;
        const controller = new AbortController();
        aborts.set(id, controller);
        const batch = streamTokens
          ? tokenBatch((first, pieces) => post({ type: "tokens", id, first, pieces }))
          : undefined;
        engine
          .generate({ ...request, signal: controller.signal }, batch?.push)
          .then(
            (result) => {
              batch?.flush();
              post({ type: "generated", id, result });
            },
            (error: unknown) => {
              batch?.flush();
              post({ type: "failed", id, error: serializeEngineError(error) });
            },
          )
          .finally(() => aborts.delete(id));
        return;
      }
      case "abort":
        aborts.get(message.id)?.abort();
        return;
      case "stop":
        // The running generation ends, the model is released, and the process exits once the channel is closed.
        void engine.stop().finally(() => process.disconnect());
        return;
    }
  });
  post({ type: "ready", info: engine.info() });
}

/** Collects a generation's pieces and hands them on in order, a batch at a time. */
function tokenBatch(send: (first: number, pieces: string[]) => void) {
  let pieces: string[] = [];
  let first = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pieces.length === 0) return;
    send(first, pieces);
    pieces = [];
  };
  return {
    push(text: string, index: number) {
      if (pieces.length === 0) first = index;
      pieces.push(text);
      if (pieces.length >= TOKEN_BATCH_MAX) flush();
      else timer ??= setTimeout(flush, TOKEN_BATCH_MS);
    },
    flush,
  };
}
