// Re-renders the generated Solidity (contracts/verifiers/: ResultVerifier from the committed verification key, and the
// Poseidon libraries) and refreshes their hashes in keys/artifacts.json, without redoing the setup:
// node scripts/renderVerifier.ts. scripts/build.ts does the same as part of a full build.
import { readFileSync, writeFileSync } from "node:fs";
import { circuitIdOf } from "./lib/circuitId.ts";
import { KEYS, RESULT_VERIFIER_SOL, VERIFIERS_DIR } from "./lib/paths.ts";
import { writePoseidonLibraries } from "./lib/renderPoseidon.ts";
import { renderResultVerifier, type VerificationKeyJson } from "./lib/renderResultVerifier.ts";
import { sha256File } from "./lib/sha256File.ts";

const raw = readFileSync(KEYS.verificationKey);
const circuitId = circuitIdOf(raw);
writeFileSync(
  RESULT_VERIFIER_SOL,
  renderResultVerifier(JSON.parse(raw.toString("utf8")) as VerificationKeyJson, circuitId),
);
const files = [RESULT_VERIFIER_SOL, ...writePoseidonLibraries(VERIFIERS_DIR)];
const manifest = JSON.parse(readFileSync(KEYS.manifest, "utf8")) as { sha256: Record<string, string> };
for (const f of files) manifest.sha256[`contracts/verifiers/${f.replace(/^.*\//, "")}`] = sha256File(f);
writeFileSync(KEYS.manifest, JSON.stringify(manifest, null, 2) + "\n");
console.log(`wrote ${files.length} files in ${VERIFIERS_DIR}; refreshed keys/artifacts.json`);
