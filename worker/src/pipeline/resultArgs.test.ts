import { expect } from "chai";
import { proofsOf, resultOf, toProof } from "./resultArgs.ts";

describe("pipeline/resultArgs", () => {
  it("takes a stored proof of eight numbers as the verifier's uint256[8]", () => {
    expect(toProof([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n])).to.deep.equal([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
  });

  it("refuses a proof of another length instead of sending it", () => {
    expect(() => toProof([1n, 2n])).to.throw(RangeError, "8 numbers, not 2");
  });

  it("builds the result struct from the chunks and ciphertext the store kept", () => {
    const result = resultOf({
      chunks: [{ outputCommitment: 9n, byteLength: 2, tokenCount: 1 }],
      ciphertext: [5n, 6n],
    });
    expect(result).to.deep.equal({
      chunks: [{ outputCommitment: 9n, byteLength: 2, tokenCount: 1 }],
      ciphertext: [5n, 6n],
      ciphertextURI: "",
      ciphertextHash: `0x${"00".repeat(32)}`,
    });
  });

  it("keeps the proofs in chunk order", () => {
    const proofs = proofsOf({ proofs: [Array(8).fill(1n), Array(8).fill(2n)] });
    expect(proofs.map((p) => p[0])).to.deep.equal([1n, 2n]);
  });
});
