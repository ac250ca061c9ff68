// What the store keeps of a job between steps. Secrets are never stored: the prompt and the output key are derived
// again from the envelope when a step needs them. The output plaintext is kept once inferred, so that a restart does
// not pay for inference twice (it is the provider's own disk, and the provider has seen it anyway).
import type { Address, Hex } from "viem";
import type { Job } from "../store/openStore.ts";

export type JobRequestData = {
  user: Address;
  modelId: Hex;
  paymentToken: Address;
  maxOutputTokens: number;
  maxPricePerToken: bigint;
  minTier: number;
  verifiable: boolean;
  deadline: number;
  /** Named provider, or the zero address. */
  provider: Address;
  userPublicKey: Hex;
  keyCommitment: bigint;
  envelope: Hex;
  /** Block where the job was created (to look up a delivered key from there on). */
  createdBlock: bigint;
};

export type ProvenChunk = { outputCommitment: bigint; byteLength: number; tokenCount: number };

export type JobData = JobRequestData & {
  /** Set once the engine has answered. */
  output?: string;
  tokenByteEnds?: number[];
  /** The output's canonical token count (billing/canonicalTokens.ts): the most the result may bill. */
  canonicalTokens?: number;
  engineVersion?: string;
  /** Set once every chunk is proven. */
  chunks?: ProvenChunk[];
  proofs?: bigint[][];
  ciphertext?: bigint[];
  /** The sender intent the result went out under (one per batch). */
  submitIntent?: string;
  submitTx?: Hex;
  finalizeTx?: Hex;
  providerAmount?: bigint;
};

/** A job in the pipeline, as the store holds it. */
export type LiveJob = Job<JobData>;
