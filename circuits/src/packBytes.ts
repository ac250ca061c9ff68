// Plaintext bytes ↔ field elements: element i is the little-endian integer of bytes[31i .. 31i+30] (the last one
// may be shorter). 31 bytes always fit below the BN254 order, so packing is injective.
import { BYTES_PER_ELEMENT } from "./constants.ts";
import { NonCanonicalElementError } from "./errors.ts";

export type PackBytesReturnType = bigint[];

/** Packs bytes into ceil(length / 31) field elements. */
export function packBytes(bytes: Uint8Array): PackBytesReturnType {
  const out: bigint[] = [];
  for (let start = 0; start < bytes.length; start += BYTES_PER_ELEMENT) {
    let v = 0n;
    const end = Math.min(start + BYTES_PER_ELEMENT, bytes.length);
    for (let i = end - 1; i >= start; i--) v = (v << 8n) | BigInt(bytes[i]!);
    out.push(v);
  }
  return out;
}

export type UnpackElementsParameters = {
  elements: readonly bigint[];
  byteLength: number;
  /** Reported in errors only. */
  chunkIndex?: number;
};

/**
 * Unpacks elements into exactly `byteLength` bytes. Throws NonCanonicalElementError when an element does not fit its
 * bytes (>= 2^248, or nonzero bytes past byteLength): the circuit checks this only for the boundary element.
 */
export function unpackElements({ elements, byteLength, chunkIndex = 0 }: UnpackElementsParameters): Uint8Array {
  const out = new Uint8Array(byteLength);
  const nElems = Math.ceil(byteLength / BYTES_PER_ELEMENT);
  for (let i = 0; i < elements.length; i++) {
    let v = elements[i]!;
    if (i >= nElems) {
      if (v !== 0n) throw new NonCanonicalElementError(chunkIndex, i);
      continue;
    }
    const width = Math.min(BYTES_PER_ELEMENT, byteLength - i * BYTES_PER_ELEMENT);
    for (let k = 0; k < width; k++) {
      out[i * BYTES_PER_ELEMENT + k] = Number(v & 0xffn);
      v >>= 8n;
    }
    if (v !== 0n) throw new NonCanonicalElementError(chunkIndex, i);
  }
  return out;
}
