// What a deploy to a public network checks before it deploys a verifier (ignition/modules/ceremonyVerifier.ts): the
// network has a finalized, verified ceremony record for THIS circuit, with enough contributions; its verification
// key file hashes to the recorded circuitId; the key is not the development key; and the verifier contract that
// will be compiled and deployed is exactly what the renderer makes from that key. Synchronous and snarkjs-free, so
// an Ignition module can call it; the full `zkey verify` is `ceremony check` (docs/ceremony.md).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { circuitIdOf } from "../circuitId.ts";
import { readDevManifest } from "../devManifest.ts";
import { CEREMONIES_DIR, KEYS, REPO_ROOT } from "../paths.ts";
import type { VerificationKeyJson } from "../renderResultVerifier.ts";
import { CeremonyError } from "./CeremonyError.ts";
import { ceremonyRecordPath, readCeremonyRecord, verificationKeyPath, verifierContractName } from "./ceremonyRecord.ts";
import { MIN_CONTRIBUTIONS, renderNetworkVerifier } from "./networkVerifier.ts";

export type CheckCeremonyRecordParameters = {
  network: string;
  ceremoniesDir?: string;
  /** Folder holding the generated network verifiers (contracts/verifiers). */
  verifiersDir?: string;
  /** The development key's manifest and verification key (circuits/keys). */
  devManifest?: string;
  devVerificationKey?: string;
  /** The circuit the deploy expects: defaults to keys/artifacts.json's r1cs. */
  r1csSha256?: string;
  minContributions?: number;
};
export type CheckCeremonyRecordReturnType = { contractName: string; circuitId: `0x${string}` };

export function checkCeremonyRecord(p: CheckCeremonyRecordParameters): CheckCeremonyRecordReturnType {
  const { network, ceremoniesDir = CEREMONIES_DIR, verifiersDir = join(REPO_ROOT, "contracts", "verifiers") } = p;
  const dev = readDevManifest(p.devManifest ?? KEYS.manifest);
  const devVk = JSON.parse(readFileSync(p.devVerificationKey ?? KEYS.verificationKey, "utf8")) as VerificationKeyJson;
  const recordPath = ceremonyRecordPath(network, ceremoniesDir);
  const record = readCeremonyRecord(recordPath);
  if (!record) {
    throw new CeremonyError(
      "recordMissing",
      `no ceremony for ${network}: refusing to deploy a verifier`,
      `${recordPath} does not exist; run the ceremony in docs/ceremony.md (the development key is never deployed to ${network})`,
    );
  }

  // The dev key first: refused whatever else the record claims.
  const vkPath = verificationKeyPath(network, ceremoniesDir);
  const vkRaw = existsSync(vkPath) ? readFileSync(vkPath) : undefined;
  const vk = vkRaw ? (JSON.parse(vkRaw.toString("utf8")) as VerificationKeyJson) : undefined;
  if (
    record.final?.circuitId === dev.circuitId ||
    (vkRaw && circuitIdOf(vkRaw) === dev.circuitId) ||
    (vk && sameSetup(vk, devVk))
  ) {
    throw new CeremonyError(
      "devKey",
      `${network}'s verifier would carry the development key ${dev.circuitId}`,
      "the development key is for local chains only; run the ceremony in docs/ceremony.md",
    );
  }
  if (record.network !== network)
    throw new CeremonyError("keyMismatch", `${recordPath} is the record of "${record.network}"`);
  if (!record.final?.verified)
    throw new CeremonyError(
      "notFinalized",
      `${network}'s ceremony is not finalized and verified`,
      "run `ceremony finalize`",
    );
  if (record.circuit.r1csSha256 !== (p.r1csSha256 ?? dev.sha256.r1cs)) {
    throw new CeremonyError(
      "circuitMismatch",
      `${network}'s ceremony is for another circuit`,
      `ceremony r1cs ${record.circuit.r1csSha256}, this repo's ${p.r1csSha256 ?? dev.sha256.r1cs}: run a new ceremony`,
    );
  }
  const secret = record.contributions.filter((c) => c.beacon === undefined).length;
  const min = p.minContributions ?? MIN_CONTRIBUTIONS;
  if (secret < min)
    throw new CeremonyError(
      "tooFewContributions",
      `${network}'s ceremony has ${secret} contribution(s), at least ${min} needed`,
    );
  if (!vkRaw || !vk) throw new CeremonyError("keyMismatch", `${vkPath} is missing`);
  const circuitId = circuitIdOf(vkRaw);
  if (circuitId !== record.final.circuitId)
    throw new CeremonyError(
      "keyMismatch",
      `${vkPath} hashes to ${circuitId}, the record says ${record.final.circuitId}`,
    );

  const contractName = verifierContractName(network);
  const verifierPath = join(verifiersDir, `${contractName}.sol`);
  const expected = renderNetworkVerifier({ network, vk, circuitId, vkPath });
  if (!existsSync(verifierPath) || readFileSync(verifierPath, "utf8") !== expected) {
    throw new CeremonyError(
      "verifierMismatch",
      `${verifierPath} is not the verifier rendered from ${network}'s ceremony key`,
      "re-render it: `ceremony render`; never edit it by hand",
    );
  }
  return { contractName, circuitId };
}

/** Same δ (and α, β, γ) as the dev key: the same setup, whatever the file's formatting. */
function sameSetup(a: VerificationKeyJson, b: VerificationKeyJson): boolean {
  return (
    JSON.stringify([a.vk_delta_2, a.vk_alpha_1, a.vk_beta_2]) ===
    JSON.stringify([b.vk_delta_2, b.vk_alpha_1, b.vk_beta_2])
  );
}

export { CeremonyError, type CeremonyErrorReason } from "./CeremonyError.ts";
