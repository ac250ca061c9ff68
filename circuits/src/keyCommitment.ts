// keyCommitment = Poseidon2([DOMAIN_KEY, outputKey]): posted by the user at job creation, a public signal of every
// chunk proof.
import { poseidon2 } from "poseidon-lite/poseidon2";
import { DOMAIN_KEY } from "./constants.ts";
import { assertField } from "./field.ts";

export type KeyCommitmentParameters = { outputKey: bigint };

export function keyCommitment({ outputKey }: KeyCommitmentParameters): bigint {
  return poseidon2([DOMAIN_KEY, assertField("outputKey", outputKey)]);
}
