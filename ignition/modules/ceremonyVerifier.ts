// The result verifier of a public network: only the one rendered from that network's finalized, verified ceremony
// (circuits/ceremonies/<network>.json; docs/ceremony.md). Refuses, while the module is built and before anything is
// sent, a network with no such record, a record that does not check out, and the development key outright.
import { checkCeremonyRecord, type CheckCeremonyRecordParameters } from "@octo/circuits/ceremony";
import type { Builder } from "./core.ts";

export type CeremonyVerifierParameters = CheckCeremonyRecordParameters;

export function ceremonyVerifier(m: Builder, parameters: CeremonyVerifierParameters) {
  const { contractName } = checkCeremonyRecord(parameters);
  return m.contract(contractName, [], { id: "ResultVerifier" });
}
