// The one list of the chunk circuit's public signals, in order. Mirrored in IResultVerifier's NatSpec,
// src/result-chunk.circom and circuits/README.md.
export const PUBLIC_SIGNALS = ["outputCommitment", "keyCommitment", "statement"] as const;
export type PublicSignalName = (typeof PUBLIC_SIGNALS)[number];
/** [outputCommitment, keyCommitment, statement] */
export type PublicSignals = readonly [bigint, bigint, bigint];
