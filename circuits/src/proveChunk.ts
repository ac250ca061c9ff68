/// <reference path="./declarations/snarkjs.d.ts" />
// Proves one chunk with snarkjs (groth16.fullProve: witness + proof, in process).
import * as snarkjs from "snarkjs";
import { chunkCircuitInput, type ChunkCircuitInputParameters } from "./chunkCircuitInput.ts";
import type { EncryptedChunk } from "./encryptOutput.ts";
import { ProofGenerationError } from "./errors.ts";
import { formatProof, type EvmProof, type SnarkjsProof } from "./formatProof.ts";
import type { PublicSignals } from "./publicSignals.ts";

/** A circuit artifact: a file path (node) or its bytes (browser, or preloaded for speed). */
export type CircuitArtifact = string | Uint8Array;
export type ProverArtifacts = { wasm: CircuitArtifact; zkey: CircuitArtifact };

export type ProveChunkParameters = ChunkCircuitInputParameters & { artifacts: ProverArtifacts };
export type ProveChunkReturnType = {
  /** EVM order, ready for IResultVerifier.verifyProof. */
  proof: EvmProof;
  publicSignals: PublicSignals;
  /** The proof as snarkjs wrote it. */
  snarkjsProof: SnarkjsProof;
  encrypted: EncryptedChunk;
};

type SnarkjsArtifact = string | { type: "mem"; data: Uint8Array };
const artifact = (a: CircuitArtifact): SnarkjsArtifact => (typeof a === "string" ? a : { type: "mem", data: a });

export async function proveChunk({ artifacts, ...params }: ProveChunkParameters): Promise<ProveChunkReturnType> {
  const { input, publicSignals, encrypted } = chunkCircuitInput(params);
  let result: { proof: SnarkjsProof; publicSignals: string[] };
  try {
    result = await snarkjs.groth16.fullProve(input, artifact(artifacts.wasm), artifact(artifacts.zkey));
  } catch (e) {
    throw new ProofGenerationError(e);
  }
  return { proof: formatProof(result.proof), publicSignals, snarkjsProof: result.proof, encrypted };
}
