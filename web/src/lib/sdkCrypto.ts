// The sdk's actions that carry its heavy cryptography: Poseidon's round constants (result commitments), the user key's
// derivation and file schema (zod), snarkjs behind the receipt check. Imported only through loadSdkCrypto, so that a
// page following a job on the chain does not carry them until it opens a result, checks a receipt, derives a key or
// reveals a secret.
export { getUserKey, openResult, recoverJobSecret, revealJobSecret, verifyReceipt } from "@octo/sdk";
