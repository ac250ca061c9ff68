// Field element helpers shared by the cipher, the commitments and the statement.
import { FIELD_ORDER } from "./constants.ts";
import { OutOfRangeError } from "./errors.ts";

export function mod(a: bigint): bigint {
  const r = a % FIELD_ORDER;
  return r < 0n ? r + FIELD_ORDER : r;
}

export function assertField(what: string, v: bigint): bigint {
  if (v < 0n || v >= FIELD_ORDER) throw new OutOfRangeError(what, v, "0 <= value < the BN254 scalar field order");
  return v;
}

/** Big-endian bytes → bigint. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** bigint → 32-byte big-endian word (an EVM uint256). */
export function toWord(v: bigint): Uint8Array {
  if (v < 0n || v >= 1n << 256n) throw new OutOfRangeError("uint256", v, "0 <= value < 2^256");
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
