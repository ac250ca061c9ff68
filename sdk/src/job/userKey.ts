// Keys that survive a reload. A user's job secrets are derived, not stored: one wallet signature gives a user key, and
// each job's secret is derived from that key and the job's nonce. The nonce is the sealed prompt's 24-byte AEAD nonce,
// which the envelope carries in the JobCreated event, so the same wallet on another device re-derives every past job's
// secret from chain data and one signature.
//   userKey   = HKDF-SHA256(ikm = signature(USER_KEY_MESSAGE), salt = "octo/v1", info = "octo/v1/user-key", 32)
//   jobSecret = HKDF-SHA256(ikm = userKey, salt = "octo/v1", info = "octo/v1/job-secret" ‖ nonce, 32)
// Wallets whose signatures are not deterministic (most sign with RFC 6979, some hardware and MPC wallets do not) would
// derive a different key each time: for them, `generateUserKey` draws a random key and `exportKeyFile` /
// `importKeyFile` carry it between devices.
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { bytesToHex, getAddress, hexToBytes, isAddressEqual, type Address, type Hex } from "viem";
import { z } from "zod";
import { InvalidInputError } from "../errors/errors.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);
const SALT = utf8("octo/v1");
export const JOB_NONCE_BYTES = 24;

/** What the wallet signs once. It names the chain and the market so that a key for one never opens another's jobs. */
export function userKeyMessage({ chainId, jobMarket }: { chainId: number; jobMarket: Address }): string {
  return [
    "Octo: derive my job keys",
    "",
    "Signing lets this app encrypt your prompts and decrypt your answers on Octo.",
    "It sends no transaction and costs nothing. Sign it only on apps you trust with your prompts.",
    "",
    `Chain: ${chainId}`,
    `Market: ${getAddress(jobMarket)}`,
  ].join("\n");
}

/** A user key: 32 bytes from which every job secret of this user on one market is derived. */
export type UserKey = { key: Uint8Array; address: Address };

export function userKeyFromSignature({ signature, address }: { signature: Hex; address: Address }): UserKey {
  return { key: hkdf(sha256, hexToBytes(signature), SALT, utf8("octo/v1/user-key"), 32), address: getAddress(address) };
}

/** A random user key, for wallets whose signatures are not deterministic; keep it with `exportKeyFile`. */
export function generateUserKey({ address }: { address: Address }): UserKey {
  return { key: randomBytes(32), address: getAddress(address) };
}

export type DeriveJobSecretParameters = { userKey: UserKey; nonce: Uint8Array };

/** The job secret of the job whose sealed prompt carries `nonce`. */
export function deriveJobSecret({ userKey, nonce }: DeriveJobSecretParameters): Uint8Array {
  if (nonce.length !== JOB_NONCE_BYTES)
    throw new InvalidInputError(`job nonce of ${nonce.length} bytes`, { details: `expected ${JOB_NONCE_BYTES}` });
  const info = new Uint8Array([...utf8("octo/v1/job-secret"), ...nonce]);
  return hkdf(sha256, userKey.key, SALT, info, 32);
}

/** A fresh job nonce. */
export function generateJobNonce(): Uint8Array {
  return randomBytes(JOB_NONCE_BYTES);
}

const keyFileSchema = z.strictObject({
  type: z.literal("octo-user-key"),
  version: z.literal(1),
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  key: z.string().regex(/^0x[0-9a-f]{64}$/),
});
export type KeyFile = z.infer<typeof keyFileSchema>;

/** The user key as a JSON file. Whoever holds it can read every prompt and answer of this user's jobs. */
export function exportKeyFile(userKey: UserKey): string {
  const file: KeyFile = { type: "octo-user-key", version: 1, address: userKey.address, key: bytesToHex(userKey.key) };
  return JSON.stringify(file, null, 2) + "\n";
}

/** Reads a key file; with `address`, refuses one exported for another account. */
export function importKeyFile(text: string, { address }: { address?: Address } = {}): UserKey {
  let parsed: KeyFile;
  try {
    parsed = keyFileSchema.parse(JSON.parse(text));
  } catch (cause) {
    throw new InvalidInputError("not an Octo key file", { cause });
  }
  if (address && !isAddressEqual(address, parsed.address as Address)) {
    throw new InvalidInputError("the key file is for another account", {
      details: `file ${parsed.address}, account ${address}`,
    });
  }
  return { key: hexToBytes(parsed.key as Hex), address: getAddress(parsed.address) };
}
