// @octo/circuits: browser-safe crypto, commitments and proving for Octo's result attestations. No node: imports
// here (node-only helpers live in ./node.ts).
export * from "./constants.ts";
export * from "./errors.ts";
export { packBytes, unpackElements, type PackBytesReturnType, type UnpackElementsParameters } from "./packBytes.ts";
export {
  deriveJobKeys,
  generateJobSecret,
  type DeriveJobKeysParameters,
  type DeriveJobKeysReturnType,
} from "./deriveJobKeys.ts";
export { keyCommitment, type KeyCommitmentParameters } from "./keyCommitment.ts";
export { generateEncryptionKeyPair, type GenerateEncryptionKeyPairReturnType } from "./generateEncryptionKeyPair.ts";
export {
  wrapJobSecret,
  wrapJobSecretForMany,
  unwrapJobSecret,
  type WrapJobSecretParameters,
  type WrapJobSecretReturnType,
  type WrapJobSecretForManyParameters,
  type WrapJobSecretForManyReturnType,
  type UnwrapJobSecretParameters,
} from "./wrapJobSecret.ts";
export { sealPrompt, openPrompt, type SealPromptParameters, type OpenPromptParameters } from "./sealPrompt.ts";
export { chunkKeystream, type ChunkKeystreamParameters } from "./chunkKeystream.ts";
export { outputCommitment, type OutputCommitmentParameters } from "./outputCommitment.ts";
export { outputRoot, ciphertextHash, type Hex } from "./outputRoot.ts";
export {
  encryptChunk,
  encryptOutput,
  decryptOutput,
  type EncryptedChunk,
  type EncryptOutputParameters,
  type EncryptOutputReturnType,
  type DecryptOutputParameters,
} from "./encryptOutput.ts";
export {
  packStatement,
  unpackStatement,
  providerToBigInt,
  type Address,
  type Statement,
  type PackStatementParameters,
} from "./statement.ts";
export { PUBLIC_SIGNALS, type PublicSignalName, type PublicSignals } from "./publicSignals.ts";
export { formatProof, parseEvmProof, type EvmProof, type SnarkjsProof } from "./formatProof.ts";
export {
  chunkCircuitInput,
  type ChunkCircuitInput,
  type ChunkCircuitInputParameters,
  type ChunkCircuitInputReturnType,
} from "./chunkCircuitInput.ts";
export {
  proveChunk,
  type CircuitArtifact,
  type ProverArtifacts,
  type ProveChunkParameters,
  type ProveChunkReturnType,
} from "./proveChunk.ts";
export { verifyChunk, type VerificationKey, type VerifyChunkParameters } from "./verifyChunk.ts";
export { encodeJobEnvelope, decodeJobEnvelope, JOB_ENVELOPE_VERSION, type JobEnvelope } from "./jobEnvelope.ts";
export { deriveStreamKey, sealStreamPiece, openStreamPiece, type StreamPieceParameters } from "./streamCipher.ts";
export { circuitIdOf } from "./circuitId.ts";
