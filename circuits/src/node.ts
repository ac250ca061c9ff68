/// <reference path="./declarations/snarkjs.d.ts" />
// Node-only helpers: where the committed circuit artifacts are, loading them, and the circuitId a proving key proves
// for (a verifier accepts only proofs made with the key its circuitId names).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as snarkjs from "snarkjs";
import { circuitIdOf } from "./circuitId.ts";
import type { ProverArtifacts } from "./proveChunk.ts";
import type { VerificationKey } from "./verifyChunk.ts";

const keys = (name: string) => fileURLToPath(new URL(`../keys/${name}`, import.meta.url));

/** Paths of the committed prover artifacts (circuits/keys/). */
export const artifactPaths = {
  wasm: keys("result-chunk.wasm"),
  zkey: keys("result-chunk.zkey"),
  verificationKey: keys("verification_key.json"),
} as const;

/** The prover artifacts as bytes (load once, prove many times): the committed development key unless `zkey` names
 *  another proving key for the same circuit (a network's ceremony key, docs/ceremony.md). */
export function loadProverArtifacts({ zkey = artifactPaths.zkey }: { zkey?: string } = {}): ProverArtifacts {
  return { wasm: readFileSync(artifactPaths.wasm), zkey: readFileSync(zkey) };
}

/**
 * The circuitId of the verifier that accepts this proving key's proofs: keccak256 of the verification key exported
 * from it, written as the build and the ceremony write `verification_key.json`. Compare it with the deployed
 * verifier's `circuitId()` before proving for a market.
 */
export async function zkeyCircuitId(zkey: Uint8Array): Promise<`0x${string}`> {
  const vk = await snarkjs.zKey.exportVerificationKey(zkey);
  return circuitIdOf(new TextEncoder().encode(JSON.stringify(vk, null, 1) + "\n"));
}

export function loadVerificationKey(): VerificationKey {
  return JSON.parse(readFileSync(artifactPaths.verificationKey, "utf8")) as VerificationKey;
}
