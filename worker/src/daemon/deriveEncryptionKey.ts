// The provider's X25519 key pair, derived from its Ethereum account so that one key (file, keystore or hardware
// signer) is all an operator keeps. ECDSA signatures are deterministic (RFC 6979), so the same account always yields
// the same encryption key; the signature never leaves this function.
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { hexToBytes, type LocalAccount } from "viem";

export const ENCRYPTION_KEY_MESSAGE = "Octo provider encryption key v1. Sign only inside the Octo worker.";

export type DeriveEncryptionKeyReturnType = { privateKey: Uint8Array; publicKey: Uint8Array };

export async function deriveEncryptionKey(account: Pick<LocalAccount, "signMessage">): Promise<DeriveEncryptionKeyReturnType> {
  const signature = hexToBytes(await account.signMessage({ message: ENCRYPTION_KEY_MESSAGE }));
  const privateKey = hkdf(sha256, signature, new TextEncoder().encode("octo/v1"), new TextEncoder().encode("octo/v1/x25519"), 32);
  return { privateKey, publicKey: x25519.getPublicKey(privateKey) };
}
