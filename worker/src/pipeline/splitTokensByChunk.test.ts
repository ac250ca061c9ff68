import { expect } from "chai";
import { CHUNK_BYTES } from "@octo/circuits";
import { splitTokensByChunk } from "./splitTokensByChunk.ts";

describe("splitTokensByChunk", () => {
  it("counts each token in the chunk where its last byte falls", () => {
    const ends = [CHUNK_BYTES - 1, CHUNK_BYTES + 2, CHUNK_BYTES + 10];
    expect(splitTokensByChunk({ tokenByteEnds: ends, byteLength: CHUNK_BYTES + 10 })).to.deep.equal([1, 2]);
  });

  it("does not bill a token that produced no bytes", () => {
    expect(splitTokensByChunk({ tokenByteEnds: [3, 5, 5], byteLength: 5 })).to.deep.equal([2]);
  });

  it("never bills more tokens than bytes in any chunk", () => {
    const byteLength = 3 * CHUNK_BYTES + 17;
    const ends = Array.from({ length: byteLength }, (_, i) => i + 1);
    const counts = splitTokensByChunk({ tokenByteEnds: ends, byteLength });
    expect(counts).to.deep.equal([CHUNK_BYTES, CHUNK_BYTES, CHUNK_BYTES, 17]);
  });

  it("gives an empty output one chunk with no tokens", () => {
    expect(splitTokensByChunk({ tokenByteEnds: [0], byteLength: 0 })).to.deep.equal([0]);
  });

  it("rejects byte ends that go backwards", () => {
    expect(() => splitTokensByChunk({ tokenByteEnds: [4, 2], byteLength: 4 })).to.throw(RangeError);
  });
});
