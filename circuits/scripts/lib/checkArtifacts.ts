// Recompiles the circuit (≈ 15 s) and compares the r1cs and wasm hashes, the generated circom constants and the
// generated verifier with what circuits/keys/artifacts.json and the committed files say.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { compileCircuit } from "./compileCircuit.ts";
import { CONSTANTS_CIRCOM, KEYS, MAIN_CIRCOM, RESULT_VERIFIER_SOL, VERIFIERS_DIR } from "./paths.ts";
import { renderCircomConstants } from "./renderCircomConstants.ts";
import { renderResultVerifier, type VerificationKeyJson } from "./renderResultVerifier.ts";
import { renderPoseidonLibraries } from "./renderPoseidon.ts";
import { sha256File } from "./sha256File.ts";

export type ArtifactMismatch = { artifact: string; expected: string; actual: string };

export async function checkArtifacts(): Promise<ArtifactMismatch[]> {
  const manifest = JSON.parse(readFileSync(KEYS.manifest, "utf8")) as { sha256: Record<string, string> };
  const mismatches: ArtifactMismatch[] = [];
  const expect = (artifact: string, expected: string | undefined, actual: string) => {
    if (expected !== actual) mismatches.push({ artifact, expected: expected ?? "(missing)", actual });
  };
  expect("src/octo-constants.circom", renderCircomConstants(), existsSync(CONSTANTS_CIRCOM) ? readFileSync(CONSTANTS_CIRCOM, "utf8") : "");
  for (const [name, path] of [["wasm", KEYS.wasm], ["zkey", KEYS.zkey], ["verificationKey", KEYS.verificationKey]] as const) {
    expect(`keys (${name})`, manifest.sha256[name], sha256File(path));
  }
  const vkRaw = readFileSync(KEYS.verificationKey);
  const circuitId = `0x${Buffer.from(keccak_256(vkRaw)).toString("hex")}`;
  expect("contracts/verifiers/ResultVerifier.sol", renderResultVerifier(JSON.parse(vkRaw.toString("utf8")) as VerificationKeyJson, circuitId), readFileSync(RESULT_VERIFIER_SOL, "utf8"));

  for (const [name, text] of Object.entries(renderPoseidonLibraries())) {
    const path = join(VERIFIERS_DIR, name);
    expect(`contracts/verifiers/${name}`, text, existsSync(path) ? readFileSync(path, "utf8") : "(missing)");
  }

  const dir = mkdtempSync(join(tmpdir(), "octo-circuit-"));
  try {
    const compiled = await compileCircuit({ source: MAIN_CIRCOM, outDir: dir });
    expect("r1cs (recompiled)", manifest.sha256.r1cs, sha256File(compiled.r1cs));
    expect("wasm (recompiled)", manifest.sha256.wasm, sha256File(compiled.wasm));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return mismatches;
}
