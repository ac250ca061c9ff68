// One job's generation, started once and followed by whoever needs its pieces. The claim step starts a job that names
// this provider while its claim is being mined (its input is ours to open from the start), and the infer step then
// follows that generation instead of starting one: the claim's round trip no longer delays the engine.
import type { Engine, GenerateParameters, GenerateReturnType } from "../engines/types.ts";

export type Generation = {
  /** Calls `onPiece` for every piece so far, in order, then for each later one as it comes. */
  follow(onPiece: (piece: string, index: number) => void): void;
  /** Settles with the engine's result; rejects as `engine.generate` does (GenerationAbortedError after abort()). */
  readonly done: Promise<GenerateReturnType>;
  /** performance.now() when the engine was asked; the end is when `done` settles. */
  readonly startedAt: number;
  abort(reason?: unknown): void;
};

export function startGeneration(engine: Engine, parameters: Omit<GenerateParameters, "signal">): Generation {
  const controller = new AbortController();
  const pieces: string[] = [];
  const followers: ((piece: string, index: number) => void)[] = [];
  const startedAt = performance.now();
  const done = engine.generate({ ...parameters, signal: controller.signal }, (piece, index) => {
    pieces.push(piece);
    for (const f of followers) f(piece, index);
  });
  // Nobody may be waiting on an aborted speculation: its rejection is expected, not unhandled.
  done.catch(() => undefined);
  return {
    follow(onPiece) {
      pieces.forEach(onPiece);
      followers.push(onPiece);
    },
    done,
    startedAt,
    abort: (reason) => controller.abort(reason),
  };
}
