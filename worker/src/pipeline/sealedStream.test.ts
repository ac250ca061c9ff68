import { deriveStreamKey, openStreamPiece } from "@octo/circuits";
import { expect } from "chai";
import { sealedStream } from "./sealedStream.ts";

describe("pipeline/sealedStream", () => {
  const promptKey = new Uint8Array(32).fill(5);
  const streamKey = deriveStreamKey(promptKey);
  const recorder = () => {
    const seen: string[] = [];
    return {
      seen,
      stream: {
        publish: (jobId: bigint, index: number, sealed: Uint8Array) => void seen.push(`${index}:${openStreamPiece({ streamKey, jobId, index, sealed })}`),
        end: (jobId: bigint) => void seen.push(`end:${jobId}`),
      },
    };
  };

  it("seals off the token path: nothing is published until the loop turns, then every piece in order", async () => {
    const { seen, stream } = recorder();
    const live = sealedStream({ stream, jobId: 7n, promptKey });
    live.push("Hel", 0);
    live.push("lo", 1);
    expect(seen).to.deep.equal([]);
    await new Promise((r) => setImmediate(r));
    expect(seen).to.deep.equal(["0:Hel", "1:lo"]);
  });

  it("publishes what is still queued before the end", () => {
    const { seen, stream } = recorder();
    const live = sealedStream({ stream, jobId: 8n, promptKey });
    live.push("a", 0);
    live.push("b", 1);
    live.end();
    expect(seen).to.deep.equal(["0:a", "1:b", "end:8"]);
  });
});
