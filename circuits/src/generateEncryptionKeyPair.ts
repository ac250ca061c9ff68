// X25519 key pairs: a provider's registered encryption key, and the user's ephemeral key per job.
import { x25519 } from "@noble/curves/ed25519.js";

export type GenerateEncryptionKeyPairReturnType = { privateKey: Uint8Array; publicKey: Uint8Array };

export function generateEncryptionKeyPair(): GenerateEncryptionKeyPairReturnType {
  const { secretKey, publicKey } = x25519.keygen();
  return { privateKey: secretKey, publicKey };
}
