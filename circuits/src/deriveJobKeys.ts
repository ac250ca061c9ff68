// Job key schedule: jobSecret (32 random bytes, drawn by the user) → promptKey (AEAD) and outputKey (field).
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { FIELD_ORDER, HKDF_INFO_JOB_KEYS, HKDF_SALT } from "./constants.ts";
import { OutOfRangeError } from "./errors.ts";
import { bytesToBigInt } from "./field.ts";

export type DeriveJobKeysParameters = { jobSecret: Uint8Array };
export type DeriveJobKeysReturnType = {
  /** XChaCha20-Poly1305 key of the prompt. */
  promptKey: Uint8Array;
  /** Field key of the output cipher: 48 HKDF bytes, big-endian, mod p (bias < 2^-130). */
  outputKey: bigint;
};

const utf8 = (s: string) => new TextEncoder().encode(s);

/** HKDF-SHA256(ikm = jobSecret, salt = "octo/v1", info = "octo/v1/job-keys", 80 bytes) → 32-byte promptKey ‖ 48-byte outputKey. */
export function deriveJobKeys({ jobSecret }: DeriveJobKeysParameters): DeriveJobKeysReturnType {
  if (jobSecret.length !== 32) throw new OutOfRangeError("jobSecret length", jobSecret.length, "32 bytes");
  const okm = hkdf(sha256, jobSecret, utf8(HKDF_SALT), utf8(HKDF_INFO_JOB_KEYS), 80);
  return { promptKey: okm.slice(0, 32), outputKey: bytesToBigInt(okm.slice(32, 80)) % FIELD_ORDER };
}

/** A fresh random 32-byte job secret. */
export function generateJobSecret(): Uint8Array {
  return randomBytes(32);
}
