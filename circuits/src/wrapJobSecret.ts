// Delivers the jobSecret to the provider: ephemeral X25519 → HKDF → XChaCha20-Poly1305.
//   shared  = X25519(ephPriv, providerPub)
//   KEK     = HKDF-SHA256(ikm = shared, salt = ephPub ‖ providerPub, info = "octo/v1/wrap", 32)
//   wrapped = nonce(24) ‖ XChaCha20-Poly1305(KEK, nonce, aad = ephPub).seal(jobSecret)
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { HKDF_INFO_WRAP } from "./constants.ts";
import { DecryptionError, OutOfRangeError } from "./errors.ts";
import { concatBytes } from "./field.ts";

const NONCE_BYTES = 24;

function kek(shared: Uint8Array, ephemeralPublicKey: Uint8Array, providerPublicKey: Uint8Array): Uint8Array {
  return hkdf(
    sha256,
    shared,
    concatBytes(ephemeralPublicKey, providerPublicKey),
    new TextEncoder().encode(HKDF_INFO_WRAP),
    32,
  );
}

export type WrapJobSecretParameters = {
  jobSecret: Uint8Array;
  providerPublicKey: Uint8Array;
  /** Fixed ephemeral key and nonce, for test vectors only; drawn at random when omitted. */
  ephemeralPrivateKey?: Uint8Array;
  nonce?: Uint8Array;
};
export type WrapJobSecretReturnType = { ephemeralPublicKey: Uint8Array; wrapped: Uint8Array };

export function wrapJobSecret({
  jobSecret,
  providerPublicKey,
  ephemeralPrivateKey = x25519.utils.randomSecretKey(),
  nonce = randomBytes(NONCE_BYTES),
}: WrapJobSecretParameters): WrapJobSecretReturnType {
  if (jobSecret.length !== 32) throw new OutOfRangeError("jobSecret length", jobSecret.length, "32 bytes");
  if (nonce.length !== NONCE_BYTES) throw new OutOfRangeError("nonce length", nonce.length, "24 bytes");
  const ephemeralPublicKey = x25519.getPublicKey(ephemeralPrivateKey);
  const key = kek(
    x25519.getSharedSecret(ephemeralPrivateKey, providerPublicKey),
    ephemeralPublicKey,
    providerPublicKey,
  );
  const sealed = xchacha20poly1305(key, nonce, ephemeralPublicKey).encrypt(jobSecret);
  return { ephemeralPublicKey, wrapped: concatBytes(nonce, sealed) };
}

export type UnwrapJobSecretParameters = {
  wrapped: Uint8Array;
  ephemeralPublicKey: Uint8Array;
  providerPrivateKey: Uint8Array;
};

/** The provider's side; throws DecryptionError when the wrap was not made for this key or was tampered with. */
export function unwrapJobSecret({
  wrapped,
  ephemeralPublicKey,
  providerPrivateKey,
}: UnwrapJobSecretParameters): Uint8Array {
  if (wrapped.length !== NONCE_BYTES + 32 + 16) throw new DecryptionError("wrapped job secret (bad length)");
  const providerPublicKey = x25519.getPublicKey(providerPrivateKey);
  try {
    const key = kek(
      x25519.getSharedSecret(providerPrivateKey, ephemeralPublicKey),
      ephemeralPublicKey,
      providerPublicKey,
    );
    return xchacha20poly1305(key, wrapped.subarray(0, NONCE_BYTES), ephemeralPublicKey).decrypt(
      wrapped.subarray(NONCE_BYTES),
    );
  } catch (e) {
    throw new DecryptionError("wrapped job secret", e);
  }
}

export type WrapJobSecretForManyParameters = {
  jobSecret: Uint8Array;
  /** X25519 public keys of the recipients, in order (a dispute committee, in committee order). */
  recipientPublicKeys: readonly Uint8Array[];
  /** Fixed ephemeral key, for test vectors only; drawn at random when omitted. */
  ephemeralPrivateKey?: Uint8Array;
};
export type WrapJobSecretForManyReturnType = { ephemeralPublicKey: Uint8Array; wrapped: Uint8Array[] };

/**
 * Wraps one job secret to many recipients under a single ephemeral key (JobMarket.revealJobSecret carries one
 * ephemeral key and one wrap per committee member). Each wrap has its own key-encryption key, since each recipient's
 * key differs, and its own random nonce.
 */
export function wrapJobSecretForMany({
  jobSecret,
  recipientPublicKeys,
  ephemeralPrivateKey = x25519.utils.randomSecretKey(),
}: WrapJobSecretForManyParameters): WrapJobSecretForManyReturnType {
  const wrapped = recipientPublicKeys.map(
    (providerPublicKey) => wrapJobSecret({ jobSecret, providerPublicKey, ephemeralPrivateKey }).wrapped,
  );
  return { ephemeralPublicKey: x25519.getPublicKey(ephemeralPrivateKey), wrapped };
}
