// The verifier contract a network deploys, rendered from its ceremony's verification key (snarkjs-free, so the
// Ignition modules can check it).
import { relative } from "node:path";
import { REPO_ROOT } from "../paths.ts";
import { renderResultVerifier, type VerificationKeyJson } from "../renderResultVerifier.ts";
import { verifierContractName } from "./ceremonyRecord.ts";

/** Fewer than this many secret contributions (the beacon not counted) and finalize and deploys refuse the key. */
export const MIN_CONTRIBUTIONS = 2;

/** The network's verifier source, rendered from its ceremony's verification key. */
export function renderNetworkVerifier({
  network,
  vk,
  circuitId,
  vkPath,
}: {
  network: string;
  vk: VerificationKeyJson;
  circuitId: string;
  vkPath: string;
}): string {
  return renderResultVerifier(vk, circuitId, {
    contractName: verifierContractName(network),
    verificationKeyPath: relative(REPO_ROOT, vkPath),
    command: `node circuits/scripts/ceremony.ts finalize --network ${network} …`,
    setup: `the ${network} phase-2 ceremony (circuits/ceremonies/${network}.json).`,
  });
}
