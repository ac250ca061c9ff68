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
        publish: (jobId: bigint, index: number, sealed: Uint8Array) =>
          void seen.push(`${index}:${openStreamPiece({ streamKey, jobId, index, sealed })}`),
        end: (jobId: bigint) => void seen.push(`end:${jobId}`),
      },
    };
  };

  it("seals off the token path: nothing is published until the loop turns, then what came in that turn as one piece", async () => {
    const { seen, stream } = recorder();
    const live = sealedStream({ stream, jobId: 7n, promptKey });
    live.push("Hel");
    live.push("lo");
    expect(seen).to.deep.equal([]);
    await new Promise((r) => setImmediate(r));
    expect(seen).to.deep.equal(["0:Hello"]);
  });

  it("numbers sealed pieces in order across turns", async () => {
    const { seen, stream } = recorder();
    const live = sealedStream({ stream, jobId: 9n, promptKey });
    for (const turn of [["a", "b"], ["c"], ["d", "e", "f"]]) {
      for (const piece of turn) live.push(piece);
      await new Promise((r) => setImmediate(r));
    }
    expect(seen).to.deep.equal(["0:ab", "1:c", "2:def"]);
  });

  it("publishes what is still queued before the end", () => {
    const { seen, stream } = recorder();
    const live = sealedStream({ stream, jobId: 8n, promptKey });
    live.push("a");
    live.push("b");
    live.end();
    expect(seen).to.deep.equal(["0:ab", "end:8"]);
  });

  it("ends without an empty piece when nothing is queued", () => {
    const { seen, stream } = recorder();
    sealedStream({ stream, jobId: 10n, promptKey }).end();
    expect(seen).to.deep.equal(["end:10"]);
  });
});
