// A job's live output, sealed for the user piece by piece, off the engine's token path.
//
// Why deferred: the in-process engine's token loop runs on the main thread between decodes (sampling, detokenizing,
// our onToken), so ~20 µs of sealing per piece inline is ~5 ms more per 256-token job, on every job. Queued and sealed
// on the next turn of the event loop, the same work runs while the engine decodes the next token, in the order the
// pieces came; `end()` seals whatever is still queued first, so a listener always gets every piece before the end.
import { deriveStreamKey, sealStreamPiece } from "@octo/circuits";
import type { StreamServer } from "../stream/createStreamServer.ts";

export type SealedStream = { push(piece: string, index: number): void; end(): void };

export function sealedStream({ stream, jobId, promptKey }: { stream: Pick<StreamServer, "publish" | "end">; jobId: bigint; promptKey: Uint8Array }): SealedStream {
  const streamKey = deriveStreamKey(promptKey);
  let queued: { piece: string; index: number }[] = [];
  let scheduled: NodeJS.Immediate | null = null;
  const flush = () => {
    scheduled = null;
    const pieces = queued;
    queued = [];
    for (const { piece, index } of pieces) stream.publish(jobId, index, sealStreamPiece({ streamKey, jobId, index, text: piece }));
  };
  return {
    push(piece, index) {
      queued.push({ piece, index });
      scheduled ??= setImmediate(flush);
    },
    end() {
      if (scheduled) clearImmediate(scheduled);
      flush();
      stream.end(jobId);
    },
  };
}
