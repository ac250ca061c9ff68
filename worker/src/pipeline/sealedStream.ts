// A job's live output, sealed for the user, off the engine's token path.
//
// Pieces are queued and sealed on the next turn of the event loop, all that came in that turn as one sealed piece,
// numbered 0, 1, 2… in order. Sealing cost ≈ 24 µs per token-sized piece (profiled in the worker bench), so one seal
// per turn instead of per token takes most of that work off the worker's main thread; the engine hands tokens over in
// batches (at most 20 ms apart) anyway, so the user sees text no later than those batches. `end()` seals whatever is
// still queued first, so a listener always gets all of it before the end. The pieces concatenate to the job's
// output; the on-chain result remains the reference.
import { deriveStreamKey, sealStreamPiece } from "@octo/circuits";
import type { StreamServer } from "../stream/createStreamServer.ts";

export type SealedStream = { push(piece: string): void; end(): void };

export function sealedStream({
  stream,
  jobId,
  promptKey,
}: {
  stream: Pick<StreamServer, "publish" | "end">;
  jobId: bigint;
  promptKey: Uint8Array;
}): SealedStream {
  const streamKey = deriveStreamKey(promptKey);
  let queued: string[] = [];
  let sealedPieces = 0;
  let scheduled: NodeJS.Immediate | null = null;
  const flush = () => {
    scheduled = null;
    if (queued.length === 0) return;
    const text = queued.join("");
    queued = [];
    const index = sealedPieces++;
    stream.publish(jobId, index, sealStreamPiece({ streamKey, jobId, index, text }));
  };
  return {
    push(piece) {
      queued.push(piece);
      scheduled ??= setImmediate(flush);
    },
    end() {
      if (scheduled) clearImmediate(scheduled);
      flush();
      stream.end(jobId);
    },
  };
}
