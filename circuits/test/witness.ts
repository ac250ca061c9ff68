// Test helpers: witness calculation (which fails on any unsatisfied `===`) and forged circuit inputs.
import * as snarkjs from "snarkjs";
import { expect } from "chai";
import { BYTES_PER_ELEMENT, CHUNK_ELEMENTS } from "../src/constants.ts";
import { chunkKeystream } from "../src/chunkKeystream.ts";
import type { ChunkCircuitInput } from "../src/chunkCircuitInput.ts";
import { mod } from "../src/field.ts";
import { keyCommitment } from "../src/keyCommitment.ts";
import { artifactPaths } from "../src/node.ts";
import { outputCommitment } from "../src/outputCommitment.ts";
import { packStatement, providerToBigInt, type Address } from "../src/statement.ts";

export async function calculateWitness(input: ChunkCircuitInput): Promise<void> {
  await snarkjs.wtns.calculate(input, artifactPaths.wasm, { type: "mem" } as unknown as string);
}

export async function expectPass(input: ChunkCircuitInput): Promise<void> {
  await calculateWitness(input);
}

/** The witness cannot be built: some constraint of the circuit is not satisfied. */
export async function expectFail(input: ChunkCircuitInput): Promise<void> {
  let error: unknown;
  try {
    await calculateWitness(input);
  } catch (e) {
    error = e;
  }
  expect(error, "a witness was built for a forged input").to.be.instanceOf(Error);
  expect((error as Error).message).to.match(/Assert Failed/);
}

export type RawInputParameters = {
  /** Plaintext elements (padded to 64 with zeros); may be longer than byteLength allows, to forge. */
  elements: readonly bigint[];
  byteLength: number;
  tokenCount: number;
  maxTokens: number;
  outputKey: bigint;
  jobId: bigint;
  provider: Address;
  chunkIndex: number;
  /** Defaults: computed honestly from the fields above. */
  keyCommitmentOverride?: bigint;
  ciphertextEdit?: (c: bigint[]) => void;
};

/**
 * A circuit input whose commitments are computed the way the circuit computes them for the CLAIMED byteLength
 * (c_i = active_i · (p_i + ks_i)), so that a forged input fails only at the check under test.
 */
export function rawInput(p: RawInputParameters): ChunkCircuitInput {
  const plaintext = [...p.elements, ...new Array<bigint>(CHUNK_ELEMENTS - p.elements.length).fill(0n)];
  const nElems = Math.ceil(p.byteLength / BYTES_PER_ELEMENT);
  const ks = chunkKeystream({
    outputKey: p.outputKey,
    jobId: p.jobId,
    provider: providerToBigInt(p.provider),
    chunkIndex: p.chunkIndex,
  });
  const ciphertext = plaintext.map((v, i) => (i < nElems ? mod(v + ks[i]!) : 0n));
  p.ciphertextEdit?.(ciphertext);
  // The statement packer refuses forged fields, so pack by hand when needed.
  const statement =
    BigInt(p.jobId) |
    (providerToBigInt(p.provider) << 40n) |
    (BigInt(p.chunkIndex) << 200n) |
    (BigInt(p.byteLength) << 208n) |
    (BigInt(p.tokenCount) << 219n) |
    (BigInt(p.maxTokens) << 230n);
  return {
    outputCommitment: outputCommitment({ ciphertext }).toString(),
    keyCommitment: (p.keyCommitmentOverride ?? keyCommitment({ outputKey: p.outputKey })).toString(),
    statement: statement.toString(),
    outputKey: p.outputKey.toString(),
    plaintext: plaintext.map(String),
  };
}

export { packStatement };
