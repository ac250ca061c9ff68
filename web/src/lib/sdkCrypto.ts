// The sdk's actions that carry its heavy cryptography: Poseidon's round constants (result and key commitments), the
// stream cipher and the job secret's wrapping (X25519, XChaCha20-Poly1305), the user key's derivation and file schema
// and the job input's schema (zod), the permit's signature parsing (secp256k1), snarkjs behind the receipt check.
// Imported only through loadSdkCrypto, so that no page carries them in its first load: they load when a page follows a
// job (watchJob), pays (createJob), opens a result, checks a receipt, derives a key or reveals a secret.
export {
  createJob,
  getUserKey,
  openResult,
  recoverJobSecret,
  revealJobSecret,
  verifyReceipt,
  watchJob,
} from "@octo/sdk";
