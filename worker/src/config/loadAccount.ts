/**
 * Turns a config key source into a viem account. The key stays inside the returned account object: it is never
 * logged, returned, or put in an error message.
 *
 * API:
 *   loadAccount({ key, env? }): PrivateKeyAccount   — throws KeyError
 *
 * Sources: `{ file }` — a file (mode 0600, owner only) holding a 0x-prefixed hex key or a V3 JSON keystore (scrypt or
 * pbkdf2, aes-128-ctr) whose password is in the variable `passwordEnv`; `{ env }` — a variable holding the hex key.
 */
import { createDecipheriv, pbkdf2Sync, scryptSync } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { type Hex, keccak256, type PrivateKeyAccount, concat, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { BaseError } from "../errors/BaseError.ts";
import type { KeySource } from "./configSchema.ts";

export type LoadAccountParameters = { key: KeySource; env?: Record<string, string | undefined> | undefined };
export type LoadAccountReturnType = PrivateKeyAccount;
export type LoadAccountErrorType = KeyError;

/** The provider key cannot be loaded. Never carries the key. */
export class KeyError extends BaseError {
  override name = "KeyError";
}

const HEX_KEY = /^(0x)?[0-9a-fA-F]{64}$/;

export function loadAccount({ key, env = process.env }: LoadAccountParameters): LoadAccountReturnType {
  if ("env" in key) {
    const value = env[key.env]?.trim();
    if (!value)
      throw new KeyError(`key: environment variable ${key.env} is not set — export it or use "key": { "file": … }`);
    if (!HEX_KEY.test(value))
      throw new KeyError(`key: ${key.env} must hold a 32-byte hex private key (0x + 64 hex digits)`);
    return privateKeyToAccount(normalize(value));
  }
  let mode: number;
  try {
    mode = statSync(key.file).mode;
  } catch (error) {
    throw new KeyError(`key.file: cannot read ${key.file} — check the path or run \`octo-worker init\``, {
      cause: error,
    });
  }
  if ((mode & 0o077) !== 0)
    throw new KeyError(
      `key.file: ${key.file} is readable by others (mode ${(mode & 0o777).toString(8)}) — run \`chmod 600 ${key.file}\``,
    );
  const text = readFileSync(key.file, "utf8").trim();
  if (HEX_KEY.test(text)) return privateKeyToAccount(normalize(text));
  let keystore: Keystore;
  try {
    keystore = JSON.parse(text) as Keystore;
  } catch {
    throw new KeyError(`key.file: ${key.file} holds neither a hex private key nor a JSON keystore`);
  }
  if (!key.passwordEnv)
    throw new KeyError("key.passwordEnv: a keystore needs the name of the variable holding its password");
  const password = env[key.passwordEnv];
  if (password === undefined) throw new KeyError(`key.passwordEnv: environment variable ${key.passwordEnv} is not set`);
  return privateKeyToAccount(decryptKeystore(keystore, password));
}

function normalize(value: string): Hex {
  return (value.startsWith("0x") ? value : `0x${value}`) as Hex;
}

type Keystore = {
  crypto?: KeystoreCrypto;
  Crypto?: KeystoreCrypto;
};
type KeystoreCrypto = {
  cipher: string;
  ciphertext: string;
  cipherparams: { iv: string };
  kdf: "scrypt" | "pbkdf2";
  kdfparams: { dklen: number; salt: string; n?: number; r?: number; p?: number; c?: number; prf?: string };
  mac: string;
};

/** Web3 Secret Storage (V3) decryption. */
export function decryptKeystore(keystore: Keystore, password: string): Hex {
  const c = keystore.crypto ?? keystore.Crypto;
  if (!c || c.cipher !== "aes-128-ctr") throw new KeyError("key.file: unsupported keystore (expected V3, aes-128-ctr)");
  const salt = Buffer.from(c.kdfparams.salt, "hex");
  const dklen = c.kdfparams.dklen;
  let derived: Buffer;
  if (c.kdf === "scrypt") {
    const { n = 262144, r = 8, p = 1 } = c.kdfparams;
    derived = scryptSync(password, salt, dklen, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 });
  } else if (c.kdf === "pbkdf2") {
    derived = pbkdf2Sync(password, salt, c.kdfparams.c ?? 262144, dklen, "sha256");
  } else throw new KeyError("key.file: unsupported keystore kdf (expected scrypt or pbkdf2)");
  const ciphertext = Buffer.from(c.ciphertext, "hex");
  const mac = keccak256(concat([toHex(derived.subarray(16, 32)), toHex(ciphertext)]));
  if (mac.slice(2).toLowerCase() !== c.mac.toLowerCase()) throw new KeyError("key.file: wrong keystore password");
  const decipher = createDecipheriv("aes-128-ctr", derived.subarray(0, 16), Buffer.from(c.cipherparams.iv, "hex"));
  return toHex(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
}
