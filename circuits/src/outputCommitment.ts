// outputCommitment = Poseidon4([Poseidon16(c[0..15]), Poseidon16(c[16..31]), Poseidon16(c[32..47]), Poseidon16(c[48..63])])
// over the 64 ciphertext elements of a chunk (elements past the output are 0). Solidity twin (fraud proofs):
// contracts/libraries/OutputDigest.sol.
import { poseidon16 } from "poseidon-lite/poseidon16";
import { poseidon4 } from "poseidon-lite/poseidon4";
import { CHUNK_ELEMENTS } from "./constants.ts";
import { OutOfRangeError } from "./errors.ts";
import { assertField } from "./field.ts";

export type OutputCommitmentParameters = {
  /** The chunk's ciphertext: the posted elements; zero-padded here to 64. */
  ciphertext: readonly bigint[];
};

export function outputCommitment({ ciphertext }: OutputCommitmentParameters): bigint {
  if (ciphertext.length > CHUNK_ELEMENTS)
    throw new OutOfRangeError("ciphertext elements", ciphertext.length, `<= ${CHUNK_ELEMENTS}`);
  const c = [...ciphertext, ...new Array<bigint>(CHUNK_ELEMENTS - ciphertext.length).fill(0n)];
  c.forEach((v, i) => assertField(`ciphertext[${i}]`, v));
  return poseidon4([0, 1, 2, 3].map((q) => poseidon16(c.slice(16 * q, 16 * q + 16))));
}
