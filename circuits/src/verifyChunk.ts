/// <reference path="./declarations/snarkjs.d.ts" />
// Verifies a chunk proof off-chain with snarkjs against the verification key.
import * as snarkjs from "snarkjs";
import { PUBLIC_SIGNALS } from "./publicSignals.ts";
import { FIELD_ORDER } from "./constants.ts";
import { parseEvmProof } from "./formatProof.ts";

/** The verification key JSON as snarkjs exports it (circuits/keys/verification_key.json). */
export type VerificationKey = { protocol: string; curve: string; nPublic: number } & Record<string, unknown>;

export type VerifyChunkParameters = {
  verificationKey: VerificationKey;
  /** EVM order, as returned by proveChunk. */
  proof: readonly bigint[];
  publicSignals: readonly bigint[];
};

/** True when the proof verifies; false for any malformed input. */
export async function verifyChunk({ verificationKey, proof, publicSignals }: VerifyChunkParameters): Promise<boolean> {
  if (publicSignals.length !== PUBLIC_SIGNALS.length || publicSignals.some((v) => v < 0n || v >= FIELD_ORDER))
    return false;
  if (proof.length !== 8) return false;
  try {
    return await snarkjs.groth16.verify(
      verificationKey,
      publicSignals.map((v) => v.toString()),
      parseEvmProof(proof),
    );
  } catch {
    return false;
  }
}
