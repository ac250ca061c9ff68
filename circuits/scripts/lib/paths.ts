// Where the circuit's sources, intermediates and committed artifacts live.
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const CIRCUITS_DIR = fileURLToPath(new URL("../../", import.meta.url));
export const REPO_ROOT = join(CIRCUITS_DIR, "..");
export const MAIN_CIRCOM = join(CIRCUITS_DIR, "src", "main.circom");
export const CONSTANTS_CIRCOM = join(CIRCUITS_DIR, "src", "octo-constants.circom");
export const BUILD_DIR = join(CIRCUITS_DIR, "build");
export const KEYS_DIR = join(CIRCUITS_DIR, "keys");
export const KEYS = {
  wasm: join(KEYS_DIR, "result-chunk.wasm"),
  zkey: join(KEYS_DIR, "result-chunk.zkey"),
  verificationKey: join(KEYS_DIR, "verification_key.json"),
  manifest: join(KEYS_DIR, "artifacts.json"),
  /** The prepared development ptau the zkey was made from (committed so that anyone can run `zkey verify`). */
  ptau: join(KEYS_DIR, "dev_13.ptau"),
};
/** Per-network ceremony transcripts and verification keys (committed; written by scripts/ceremony.ts). */
export const CEREMONIES_DIR = join(CIRCUITS_DIR, "ceremonies");
export const VERIFIERS_DIR = join(REPO_ROOT, "contracts", "verifiers");
export const RESULT_VERIFIER_SOL = join(VERIFIERS_DIR, "ResultVerifier.sol");
