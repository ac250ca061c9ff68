// The phase-2 ceremony of a public network: scripts/ceremony.ts is its CLI, docs/ceremony.md its runbook.
export { CeremonyError, type CeremonyErrorReason } from "./CeremonyError.ts";
export {
  ceremonyRecordPath,
  readCeremonyRecord,
  verificationKeyPath,
  verifierContractName,
  type CeremonyRecord,
} from "./ceremonyRecord.ts";
export {
  checkCeremonyRecord,
  type CheckCeremonyRecordParameters,
  type CheckCeremonyRecordReturnType,
} from "./checkCeremonyRecord.ts";
export {
  contributeCeremony,
  type ContributeCeremonyParameters,
  type ContributeCeremonyReturnType,
} from "./contributeCeremony.ts";
export { finalizeCeremony, type FinalizeCeremonyParameters } from "./finalizeCeremony.ts";
export { MIN_CONTRIBUTIONS, renderNetworkVerifier } from "./networkVerifier.ts";
export { initCeremony, type InitCeremonyParameters } from "./initCeremony.ts";
export { verifyCeremony, type VerifyCeremonyParameters } from "./verifyCeremony.ts";
export { checkCeremony, type CheckCeremonyParameters } from "./checkCeremony.ts";
