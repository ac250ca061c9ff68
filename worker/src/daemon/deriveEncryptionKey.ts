// The provider's encryption key derivation lives in @octo/sdk, so that the web dashboard registers the very key this
// worker opens envelopes with.
export { deriveEncryptionKey, ENCRYPTION_KEY_MESSAGE, type DeriveEncryptionKeyReturnType } from "@octo/sdk";
