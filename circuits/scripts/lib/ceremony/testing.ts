// What tests outside this package need to build ceremony records of their own (the deploy-module tests): imported as
// `@octo/circuits/ceremony/testing`, never by relative path.
export { type CeremonyErrorReason, type CeremonyRecord } from "./index.ts";
export { renderNetworkVerifier } from "./networkVerifier.ts";
export { circuitIdOf } from "../circuitId.ts";
export { readDevManifest } from "../devManifest.ts";
export { CEREMONIES_DIR, KEYS } from "../paths.ts";
export type { VerificationKeyJson } from "../renderResultVerifier.ts";
