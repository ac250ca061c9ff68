// A provider's X25519 key pair, derived from its Ethereum account so that one key (file, keystore, hardware signer or
// browser wallet) is all an operator keeps: the worker derives it to open job envelopes, the web dashboard derives the
// same pair to register its public half. ECDSA signatures are deterministic (RFC 6979), so the same account always
// yields the same encryption key; the signature never leaves this function.
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { hexToBytes, type Hex } from "viem";

export const ENCRYPTION_KEY_MESSAGE = "Octo provider encryption key v1. Sign only inside the Octo worker.";

/** Anything that signs a personal message: a viem LocalAccount, or a wallet client bound to its account. */
export type EncryptionKeySigner = { signMessage(parameters: { message: string }): Promise<Hex> };
export type DeriveEncryptionKeyReturnType = { privateKey: Uint8Array; publicKey: Uint8Array };

export async function deriveEncryptionKey(signer: EncryptionKeySigner): Promise<DeriveEncryptionKeyReturnType> {
  const signature = hexToBytes(await signer.signMessage({ message: ENCRYPTION_KEY_MESSAGE }));
  const privateKey = hkdf(
    sha256,
    signature,
    new TextEncoder().encode("octo/v1"),
    new TextEncoder().encode("octo/v1/x25519"),
    32,
  );
  return { privateKey, publicKey: x25519.getPublicKey(privateKey) };
}
