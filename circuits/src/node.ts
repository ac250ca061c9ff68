// Node-only helpers: where the committed circuit artifacts are, and loading them.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ProverArtifacts } from "./proveChunk.ts";
import type { VerificationKey } from "./verifyChunk.ts";

const keys = (name: string) => fileURLToPath(new URL(`../keys/${name}`, import.meta.url));

/** Paths of the committed prover artifacts (circuits/keys/). */
export const artifactPaths = {
  wasm: keys("result-chunk.wasm"),
  zkey: keys("result-chunk.zkey"),
  verificationKey: keys("verification_key.json"),
} as const;

/** The prover artifacts as bytes (load once, prove many times). */
export function loadProverArtifacts(): ProverArtifacts {
  return { wasm: readFileSync(artifactPaths.wasm), zkey: readFileSync(artifactPaths.zkey) };
}

export function loadVerificationKey(): VerificationKey {
  return JSON.parse(readFileSync(artifactPaths.verificationKey, "utf8")) as VerificationKey;
}
