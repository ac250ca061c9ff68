// Bills tokens per proven chunk. Each token is counted in the chunk where its last byte falls; a token that produced
// no bytes (end of sequence) is not billed. The circuit requires tokens <= bytes in every chunk, and that holds here
// because every billed token ends at a distinct byte offset.
import { CHUNK_BYTES } from "@octo/circuits";

export type SplitTokensByChunkParameters = {
  /** Byte length of the output after each token, in order (non-decreasing). */
  tokenByteEnds: readonly number[];
  byteLength: number;
};

export function splitTokensByChunk({ tokenByteEnds, byteLength }: SplitTokensByChunkParameters): number[] {
  const chunks = Math.max(1, Math.ceil(byteLength / CHUNK_BYTES));
  const counts = new Array<number>(chunks).fill(0);
  let previous = 0;
  for (const end of tokenByteEnds) {
    if (end < previous || end > byteLength)
      throw new RangeError(`token byte end ${end} out of order or past ${byteLength}`);
    if (end > previous) counts[Math.floor((end - 1) / CHUNK_BYTES)]! += 1;
    previous = end;
  }
  return counts;
}
