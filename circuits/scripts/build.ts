// Builds everything from the circuit source, reproducibly:
//   src/octo-constants.circom (from src/constants.ts) → r1cs + wasm (circom2) → dev ptau 2^13 (cached in ptau/)
//   → zkey (groth16 setup + one fixed beacon contribution) → verification key → contracts/verifiers/*.sol
//   → keys/artifacts.json (sha256 of every artifact).
// Development setup only: the beacons are public, so the toxic waste is public. See README, "Production ceremony".
// Usage: node scripts/build.ts
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { keccak_256 } from "@noble/hashes/sha3.js";
import * as snarkjs from "snarkjs";
import { compileCircuit } from "./lib/compileCircuit.ts";
import { ensureDevPtau, PTAU_BEACON_HASH, PTAU_BEACON_ITERATIONS_EXP, PTAU_POWER } from "./lib/devPtau.ts";
import { BUILD_DIR, CONSTANTS_CIRCOM, KEYS, KEYS_DIR, MAIN_CIRCOM, PTAU_DIR, RESULT_VERIFIER_SOL, VERIFIERS_DIR } from "./lib/paths.ts";
import { renderCircomConstants } from "./lib/renderCircomConstants.ts";
import { renderResultVerifier, type VerificationKeyJson } from "./lib/renderResultVerifier.ts";
import { writePoseidonLibraries } from "./lib/renderPoseidon.ts";
import { sha256File } from "./lib/sha256File.ts";

export const ZKEY_BEACON_HASH = "6f63746f2f76312f6465762d7a6b6579000000000000000000000000000000bb";
const ZKEY_BEACON_ITERATIONS_EXP = 10;

const t0 = Date.now();
const step = (m: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${m}`);

writeFileSync(CONSTANTS_CIRCOM, renderCircomConstants());
step("compile");
const compiled = await compileCircuit({ source: MAIN_CIRCOM, outDir: BUILD_DIR });
const info = await snarkjs.r1cs.info(compiled.r1cs);
step(`constraints: ${info.nConstraints}`);

const ptau = await ensureDevPtau(PTAU_DIR);
step("groth16 setup");
const zkey0 = `${BUILD_DIR}/result-chunk_0000.zkey`;
await snarkjs.zKey.newZKey(compiled.r1cs, ptau, zkey0);
step("zkey beacon contribution");
mkdirSync(KEYS_DIR, { recursive: true });
await snarkjs.zKey.beacon(zkey0, KEYS.zkey, "octo dev zkey beacon", ZKEY_BEACON_HASH, ZKEY_BEACON_ITERATIONS_EXP);
rmSync(zkey0);
copyFileSync(compiled.wasm, KEYS.wasm);

step("verification key + Solidity");
const vk = (await snarkjs.zKey.exportVerificationKey(KEYS.zkey)) as VerificationKeyJson;
writeFileSync(KEYS.verificationKey, JSON.stringify(vk, null, 1) + "\n");
const circuitId = `0x${Buffer.from(keccak_256(readFileSync(KEYS.verificationKey))).toString("hex")}`;
mkdirSync(VERIFIERS_DIR, { recursive: true });
writeFileSync(RESULT_VERIFIER_SOL, renderResultVerifier(vk, circuitId));
const poseidonFiles = writePoseidonLibraries(VERIFIERS_DIR);

const manifest = {
  circuit: "src/main.circom (ResultChunk)",
  constraints: info.nConstraints,
  circuitId,
  setup: {
    kind: "development (public beacons: NOT a secure ceremony)",
    ptau: { power: PTAU_POWER, beaconHash: PTAU_BEACON_HASH, beaconIterationsExp: PTAU_BEACON_ITERATIONS_EXP },
    zkey: { beaconHash: ZKEY_BEACON_HASH, beaconIterationsExp: ZKEY_BEACON_ITERATIONS_EXP },
  },
  sha256: {
    r1cs: sha256File(compiled.r1cs),
    wasm: sha256File(KEYS.wasm),
    zkey: sha256File(KEYS.zkey),
    verificationKey: sha256File(KEYS.verificationKey),
    ptau: sha256File(ptau),
    "contracts/verifiers/ResultVerifier.sol": sha256File(RESULT_VERIFIER_SOL),
    ...Object.fromEntries(poseidonFiles.map((f) => [`contracts/verifiers/${f.replace(/^.*\//, "")}`, sha256File(f)])),
  },
};
writeFileSync(KEYS.manifest, JSON.stringify(manifest, null, 2) + "\n");
step(`done: ${KEYS_DIR}`);
process.exit(0);
