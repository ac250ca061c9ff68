// A proven job's result as `submitResult(s)` takes it, from what the store kept of it (jobData.ts).
import type { Hex } from "viem";
import type { JobData } from "./jobData.ts";

/** One chunk's Groth16 proof, as the verifier takes it (uint256[8]). */
export type Proof = readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];

/** A stored proof (eight numbers) as the contract's `uint256[8]`. */
export function toProof(values: readonly bigint[]): Proof {
  if (values.length !== 8) throw new RangeError(`a proof has 8 numbers, not ${values.length}`);
  const v = values.map(BigInt);
  return [v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!, v[6]!, v[7]!];
}

/** The result struct (of a proven job: its chunks and ciphertext are set): the chunks' commitments and bills, and the ciphertext posted on-chain (no URI, no hash). */
export function resultOf(d: Pick<JobData, "chunks" | "ciphertext">) {
  return {
    chunks: d.chunks!.map((c) => ({
      outputCommitment: BigInt(c.outputCommitment),
      byteLength: c.byteLength,
      tokenCount: c.tokenCount,
    })),
    ciphertext: d.ciphertext!.map(BigInt),
    ciphertextURI: "",
    ciphertextHash: `0x${"00".repeat(32)}` as Hex,
  };
}

/** The job's chunk proofs, in chunk order. */
export function proofsOf(d: Pick<JobData, "proofs">): Proof[] {
  return d.proofs!.map(toProof);
}
