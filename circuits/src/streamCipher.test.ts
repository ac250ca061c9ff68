import { expect } from "chai";
import { deriveStreamKey, openStreamPiece, sealStreamPiece } from "./streamCipher.ts";
import { DecryptionError } from "./errors.ts";

describe("streamCipher", () => {
  const streamKey = deriveStreamKey(new Uint8Array(32).fill(7));

  it("opens what it sealed", () => {
    const sealed = sealStreamPiece({ streamKey, jobId: 5n, index: 3, text: "héllo" });
    expect(openStreamPiece({ streamKey, jobId: 5n, index: 3, sealed })).to.equal("héllo");
  });

  it("rejects a piece moved to another index or another job", () => {
    const sealed = sealStreamPiece({ streamKey, jobId: 5n, index: 3, text: "x" });
    expect(() => openStreamPiece({ streamKey, jobId: 5n, index: 4, sealed })).to.throw(DecryptionError);
    expect(() => openStreamPiece({ streamKey, jobId: 6n, index: 3, sealed })).to.throw(DecryptionError);
  });

  it("derives different stream keys from different prompt keys", () => {
    expect(deriveStreamKey(new Uint8Array(32).fill(8))).to.not.deep.equal(streamKey);
  });
});
