// Checks the committed keys/ and contracts/verifiers/ the way anyone can rerun, without trusting whoever built them:
// - the circuit is recompiled (≈ 15 s) and its r1cs/wasm must match artifacts.json;
// - `snarkjs powersoftau verify` of the committed dev ptau, and `snarkjs zkey verify` of the committed zkey against
//   the recompiled r1cs and that ptau: the zkey is this circuit's, over this ptau, followed by a valid chain of
//   contributions; both chains must be the transcript artifacts.json records, with at least one contribution that
//   is not a public beacon (a beacon-only setup's trapdoor is public);
// - the verification key is the zkey's, and the generated Solidity is what the renderers produce from it.
// What no check can show: that a contributor discarded its entropy. See docs/ceremony.md.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { circuitIdOf } from "./circuitId.ts";
import { compileCircuit } from "./compileCircuit.ts";
import { readDevManifest } from "./devManifest.ts";
import { CONSTANTS_CIRCOM, KEYS, MAIN_CIRCOM, RESULT_VERIFIER_SOL, VERIFIERS_DIR } from "./paths.ts";
import { renderCircomConstants } from "./renderCircomConstants.ts";
import { renderResultVerifier, type VerificationKeyJson } from "./renderResultVerifier.ts";
import { renderPoseidonLibraries } from "./renderPoseidon.ts";
import { sha256File } from "./sha256File.ts";
import { verifyPtau, verifyZkey, type SetupContribution } from "./verifySetup.ts";

export type ArtifactMismatch = { artifact: string; expected: string; actual: string };

export type CheckArtifactsParameters = {
  /** Also run powersoftau verify and zkey verify (≈ 1–2 min here); otherwise only hashes, renders and the compile. */
  verifySetup?: boolean;
  log?: (message: string) => void;
};

export async function checkArtifacts({
  verifySetup = true,
  log = () => {},
}: CheckArtifactsParameters = {}): Promise<ArtifactMismatch[]> {
  const manifest = readDevManifest();
  const mismatches: ArtifactMismatch[] = [];
  const expect = (artifact: string, expected: string | undefined, actual: string) => {
    if (expected !== actual) mismatches.push({ artifact, expected: expected ?? "(missing)", actual });
  };
  expect(
    "src/octo-constants.circom",
    renderCircomConstants(),
    existsSync(CONSTANTS_CIRCOM) ? readFileSync(CONSTANTS_CIRCOM, "utf8") : "",
  );
  for (const [name, path] of [
    ["wasm", KEYS.wasm],
    ["zkey", KEYS.zkey],
    ["verificationKey", KEYS.verificationKey],
    ["ptau", KEYS.ptau],
  ] as const) {
    expect(`keys (${name})`, manifest.sha256[name], existsSync(path) ? sha256File(path) : "(missing)");
  }
  const vkRaw = readFileSync(KEYS.verificationKey);
  const circuitId = circuitIdOf(vkRaw);
  expect("artifacts.json circuitId", manifest.circuitId, circuitId);
  expect(
    "contracts/verifiers/ResultVerifier.sol",
    renderResultVerifier(JSON.parse(vkRaw.toString("utf8")) as VerificationKeyJson, circuitId),
    readFileSync(RESULT_VERIFIER_SOL, "utf8"),
  );
  for (const [name, text] of Object.entries(renderPoseidonLibraries())) {
    const path = join(VERIFIERS_DIR, name);
    expect(`contracts/verifiers/${name}`, text, existsSync(path) ? readFileSync(path, "utf8") : "(missing)");
  }

  const dir = mkdtempSync(join(tmpdir(), "octo-circuit-"));
  try {
    log("recompiling the circuit");
    const compiled = await compileCircuit({ source: MAIN_CIRCOM, outDir: dir });
    expect("r1cs (recompiled)", manifest.sha256.r1cs, sha256File(compiled.r1cs));
    expect("wasm (recompiled)", manifest.sha256.wasm, sha256File(compiled.wasm));
    if (!verifySetup) return mismatches;

    log("snarkjs powersoftau verify keys/dev_13.ptau");
    const ptau = await verifyPtau({ ptau: KEYS.ptau });
    expect("powersoftau verify keys/dev_13.ptau", "valid", ptau.valid ? "valid" : `invalid: ${errors(ptau.log)}`);
    expectChain("ptau transcript", manifest.setup.ptau.contributions, ptau.contributions);

    log("snarkjs zkey verify (recompiled r1cs, keys/dev_13.ptau, keys/result-chunk.zkey)");
    const zkey = await verifyZkey({ r1cs: compiled.r1cs, ptau: KEYS.ptau, zkey: KEYS.zkey });
    expect("zkey verify keys/result-chunk.zkey", "valid", zkey.valid ? "valid" : `invalid: ${errors(zkey.log)}`);
    expectChain("zkey transcript", manifest.setup.zkey.contributions, zkey.contributions);

    const exported = JSON.stringify(await snarkjs.zKey.exportVerificationKey(KEYS.zkey), null, 1) + "\n";
    expect("keys/verification_key.json (exported from the zkey)", exported, vkRaw.toString("utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return mismatches;

  function expectChain(artifact: string, recorded: SetupContribution[], verified: SetupContribution[]) {
    expect(artifact, JSON.stringify(recorded), JSON.stringify(verified));
    if (!verified.some((c) => c.beacon === undefined))
      expect(`${artifact}: a contribution with secret entropy`, "at least one", "none (beacons only)");
  }
}

const errors = (log: string[]) => log.filter((l) => l.startsWith("error")).join("; ") || "(no error logged)";
