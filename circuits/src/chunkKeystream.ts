// Keystream of one chunk (counter mode over the width-17 Poseidon permutation):
//   block j = perm([0, DOMAIN_CIPHER, outputKey, jobId, provider, chunkIndex, j, 0 × 10])[1..16]
// The capacity output perm[0] is discarded, so the keyed permutation cannot be inverted. poseidon-lite's
// poseidon16(inputs, 17) returns the full permuted state with initial state 0 — circomlib's
// PoseidonEx(16, 17).out with initialState 0 (checked on shared vectors in test/outputCipher.test.ts).
import { poseidon16 } from "poseidon-lite/poseidon16";
import { CHUNK_ELEMENTS, DOMAIN_CIPHER, KEYSTREAM_BLOCKS, KEYSTREAM_BLOCK_ELEMENTS } from "./constants.ts";
import { assertField } from "./field.ts";

export type ChunkKeystreamParameters = {
  outputKey: bigint;
  jobId: bigint;
  provider: bigint;
  chunkIndex: number;
};

type PermutationFn = (inputs: bigint[], nOuts: number) => bigint[];
const permute = poseidon16 as unknown as PermutationFn;

export function chunkKeystream({ outputKey, jobId, provider, chunkIndex }: ChunkKeystreamParameters): bigint[] {
  assertField("outputKey", outputKey);
  const out: bigint[] = [];
  for (let j = 0; j < KEYSTREAM_BLOCKS; j++) {
    const inputs = [
      DOMAIN_CIPHER,
      outputKey,
      jobId,
      provider,
      BigInt(chunkIndex),
      BigInt(j),
      ...new Array<bigint>(10).fill(0n),
    ];
    const state = permute(inputs, KEYSTREAM_BLOCK_ELEMENTS + 1);
    out.push(...state.slice(1));
  }
  if (out.length !== CHUNK_ELEMENTS) throw new Error("unreachable: keystream length");
  return out;
}
