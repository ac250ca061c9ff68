// Builds everything from the circuit source:
//   src/octo-constants.circom (from src/constants.ts) → r1cs + wasm (circom2) → dev ptau 2^13 (keys/dev_13.ptau)
//   → zkey (groth16 setup + one contribution with fresh entropy) → verification key → contracts/verifiers/*.sol
//   → keys/artifacts.json (sha256 of every artifact and the setup's transcript: contribution hashes, no secrets).
// Every contribution's entropy comes from crypto.randomBytes and snarkjs's own randomness and is never written, so
// nothing committed reveals τ or δ; the key is sound unless the machine that ran this build kept its memory.
// Development and local chains only: the Amoy and Polygon deploys take a multi-party ceremony (docs/ceremony.md).
// Usage: node scripts/build.ts [--new-ptau]   (reuses the committed keys/dev_13.ptau unless --new-ptau)
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as snarkjs from "snarkjs";
import { circuitIdOf } from "./lib/circuitId.ts";
import { compileCircuit } from "./lib/compileCircuit.ts";
import { DEV_PTAU_POWER, makeDevPtau } from "./lib/devPtau.ts";
import { readDevManifest, type DevManifest } from "./lib/devManifest.ts";
import {
  BUILD_DIR,
  CONSTANTS_CIRCOM,
  KEYS,
  KEYS_DIR,
  MAIN_CIRCOM,
  RESULT_VERIFIER_SOL,
  VERIFIERS_DIR,
} from "./lib/paths.ts";
import { renderCircomConstants } from "./lib/renderCircomConstants.ts";
import { renderResultVerifier, type VerificationKeyJson } from "./lib/renderResultVerifier.ts";
import { writePoseidonLibraries } from "./lib/renderPoseidon.ts";
import { sha256File } from "./lib/sha256File.ts";
import { toHex } from "./lib/transcript.ts";
import { readPtauHeader, verifyPtau } from "./lib/verifySetup.ts";

export const DEV_ZKEY_CONTRIBUTOR = "octo dev zkey (fresh entropy, discarded)";

const t0 = Date.now();
const step = (m: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${m}`);

writeFileSync(CONSTANTS_CIRCOM, renderCircomConstants());
step("compile");
const compiled = await compileCircuit({ source: MAIN_CIRCOM, outDir: BUILD_DIR });
const info = await snarkjs.r1cs.info(compiled.r1cs);
step(`constraints: ${info.nConstraints}`);

mkdirSync(KEYS_DIR, { recursive: true });
let ptauSetup: DevManifest["setup"]["ptau"];
const previous = existsSync(KEYS.manifest) ? readDevManifest() : undefined;
if (!process.argv.includes("--new-ptau") && existsSync(KEYS.ptau) && previous?.sha256.ptau === sha256File(KEYS.ptau)) {
  step("reusing the committed dev ptau (its entropy was discarded when it was made)");
  ptauSetup = previous.setup.ptau;
} else if (!process.argv.includes("--new-ptau") && existsSync(KEYS.ptau)) {
  step("ptau not in the manifest: snarkjs powersoftau verify, to read its transcript");
  const checked = await verifyPtau({ ptau: KEYS.ptau });
  if (!checked.valid) throw new Error(`${KEYS.ptau} fails powersoftau verify:\n${checked.log.join("\n")}`);
  ptauSetup = {
    file: "keys/dev_13.ptau",
    power: readPtauHeader(KEYS.ptau).power,
    contributions: checked.contributions,
  };
} else {
  const made = await makeDevPtau({ path: KEYS.ptau, power: DEV_PTAU_POWER, log: step });
  ptauSetup = {
    file: "keys/dev_13.ptau",
    power: made.power,
    contributions: [{ index: 1, name: made.name, hash: made.contributionHash }],
  };
}

step("groth16 setup");
const zkey0 = `${BUILD_DIR}/result-chunk_0000.zkey`;
await snarkjs.zKey.newZKey(compiled.r1cs, KEYS.ptau, zkey0);
step("zkey contribution with fresh entropy (not stored)");
const zkeyHash = await snarkjs.zKey.contribute(zkey0, KEYS.zkey, DEV_ZKEY_CONTRIBUTOR, randomBytes(64).toString("hex"));
rmSync(zkey0);
copyFileSync(compiled.wasm, KEYS.wasm);

step("verification key + Solidity");
const vk = (await snarkjs.zKey.exportVerificationKey(KEYS.zkey)) as VerificationKeyJson;
writeFileSync(KEYS.verificationKey, JSON.stringify(vk, null, 1) + "\n");
const circuitId = circuitIdOf(readFileSync(KEYS.verificationKey));
mkdirSync(VERIFIERS_DIR, { recursive: true });
writeFileSync(RESULT_VERIFIER_SOL, renderResultVerifier(vk, circuitId));
const poseidonFiles = writePoseidonLibraries(VERIFIERS_DIR);

const manifest: DevManifest = {
  circuit: "src/main.circom (ResultChunk)",
  constraints: info.nConstraints,
  circuitId,
  setup: {
    kind: "development: one phase-1 and one phase-2 contribution, each from fresh entropy that was discarded; sound unless the machine that ran the build kept it. Local chains only.",
    check:
      "node circuits/scripts/checkArtifacts.ts (snarkjs powersoftau verify + zkey verify against the recompiled r1cs)",
    ptau: ptauSetup,
    zkey: { contributions: [{ index: 1, name: DEV_ZKEY_CONTRIBUTOR, hash: toHex(zkeyHash) }] },
  },
  sha256: {
    r1cs: sha256File(compiled.r1cs),
    wasm: sha256File(KEYS.wasm),
    zkey: sha256File(KEYS.zkey),
    verificationKey: sha256File(KEYS.verificationKey),
    ptau: sha256File(KEYS.ptau),
    "contracts/verifiers/ResultVerifier.sol": sha256File(RESULT_VERIFIER_SOL),
    ...Object.fromEntries(poseidonFiles.map((f) => [`contracts/verifiers/${f.replace(/^.*\//, "")}`, sha256File(f)])),
  },
};
writeFileSync(KEYS.manifest, JSON.stringify(manifest, null, 2) + "\n");
step(`done: ${KEYS_DIR}`);
process.exit(0);
