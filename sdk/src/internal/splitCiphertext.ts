import type { GetResultReturnType } from "../actions/getResult.ts";

/** The posted ciphertext cut per chunk: each chunk's first ceil(byteLength / 31) elements, in order. `elements` is how
 *  many the chunks account for (the posted array must have exactly that many). */
export function splitCiphertext({ chunks, ciphertext }: Pick<GetResultReturnType, "chunks" | "ciphertext">): {
  perChunk: bigint[][];
  elements: number;
} {
  const perChunk: bigint[][] = [];
  let at = 0;
  for (const chunk of chunks) {
    const n = Math.ceil(chunk.byteLength / 31);
    perChunk.push(ciphertext.slice(at, at + n));
    at += n;
  }
  return { perChunk, elements: at };
}
