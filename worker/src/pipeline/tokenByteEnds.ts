// The byte length of a job's output after each piece the engine decodes: what bills tokens per proven chunk
// (splitTokensByChunk). The provider's pipeline and a dispute committee's re-run count it the same way, here.

export type TokenByteEnds = {
  /** Counts one decoded piece (one token); returns the output's byte length after it. */
  add(piece: string): number;
  /** The byte length after each piece so far, in order (non-decreasing; equal where a token added no bytes). */
  readonly ends: number[];
};

export function createTokenByteEnds(): TokenByteEnds {
  const encoder = new TextEncoder();
  const ends: number[] = [];
  let bytes = 0;
  return {
    add(piece) {
      bytes += encoder.encode(piece).length;
      ends.push(bytes);
      return bytes;
    },
    ends,
  };
}
