// Output encryption: bytes → 1984-byte chunks → 64 field elements each → c_i = p_i + ks_i (mod p) for the first
// nElems = ceil(byteLength / 31) elements, 0 after. Every chunk but the last is exactly 1984 bytes.
import { BYTES_PER_ELEMENT, CHUNK_BYTES, CHUNK_ELEMENTS, MAX_CHUNKS } from "./constants.ts";
import { chunkKeystream } from "./chunkKeystream.ts";
import { CommitmentMismatchError, OutOfRangeError } from "./errors.ts";
import { mod } from "./field.ts";
import { outputCommitment } from "./outputCommitment.ts";
import { ciphertextHash, outputRoot, type Hex } from "./outputRoot.ts";
import { packBytes, unpackElements } from "./packBytes.ts";
import { providerToBigInt, type Address } from "./statement.ts";

export type EncryptedChunk = {
  chunkIndex: number;
  byteLength: number;
  /** 64 plaintext elements, zero-padded (the private witness of the chunk proof). */
  plaintext: bigint[];
  /** 64 ciphertext elements, zero past nElems. */
  ciphertext: bigint[];
  /** The first nElems ciphertext elements: what is posted. */
  postedCiphertext: bigint[];
  outputCommitment: bigint;
};

export type EncryptOutputParameters = {
  output: Uint8Array;
  outputKey: bigint;
  jobId: bigint;
  provider: Address | bigint;
};
export type EncryptOutputReturnType = {
  chunks: EncryptedChunk[];
  outputRoot: Hex;
  ciphertextHash: Hex;
};

export function encryptChunk(params: {
  chunk: Uint8Array;
  outputKey: bigint;
  jobId: bigint;
  provider: Address | bigint;
  chunkIndex: number;
}): EncryptedChunk {
  const { chunk, outputKey, jobId, chunkIndex } = params;
  if (chunk.length > CHUNK_BYTES) throw new OutOfRangeError("chunk length", chunk.length, `<= ${CHUNK_BYTES}`);
  const packed = packBytes(chunk);
  const plaintext = [...packed, ...new Array<bigint>(CHUNK_ELEMENTS - packed.length).fill(0n)];
  const ks = chunkKeystream({ outputKey, jobId, provider: providerToBigInt(params.provider), chunkIndex });
  const ciphertext = plaintext.map((p, i) => (i < packed.length ? mod(p + ks[i]!) : 0n));
  return {
    chunkIndex,
    byteLength: chunk.length,
    plaintext,
    ciphertext,
    postedCiphertext: ciphertext.slice(0, packed.length),
    outputCommitment: outputCommitment({ ciphertext }),
  };
}

export function encryptOutput({
  output,
  outputKey,
  jobId,
  provider,
}: EncryptOutputParameters): EncryptOutputReturnType {
  const n = Math.max(1, Math.ceil(output.length / CHUNK_BYTES));
  if (n > MAX_CHUNKS) throw new OutOfRangeError("output length", output.length, `<= ${MAX_CHUNKS * CHUNK_BYTES} bytes`);
  const chunks: EncryptedChunk[] = [];
  for (let i = 0; i < n; i++) {
    chunks.push(
      encryptChunk({
        chunk: output.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES),
        outputKey,
        jobId,
        provider,
        chunkIndex: i,
      }),
    );
  }
  return {
    chunks,
    outputRoot: outputRoot({ chunkCommitments: chunks.map((c) => c.outputCommitment) }),
    ciphertextHash: ciphertextHash({ postedCiphertext: chunks.map((c) => c.postedCiphertext) }),
  };
}

export type DecryptOutputParameters = {
  /** Posted ciphertext elements of each chunk, in chunk order. */
  postedCiphertext: readonly (readonly bigint[])[];
  /** Total output length in bytes (the sum of the proven chunk byteLengths). */
  byteLength: number;
  outputKey: bigint;
  jobId: bigint;
  provider: Address | bigint;
  /** When given, each chunk's recomputed digest must equal it (throws CommitmentMismatchError). */
  chunkCommitments?: readonly bigint[];
};

/** Decrypts a posted output. Throws NonCanonicalElementError on an element that is not 31 plaintext bytes. */
export function decryptOutput(params: DecryptOutputParameters): Uint8Array {
  const { postedCiphertext, byteLength, outputKey, jobId, chunkCommitments } = params;
  const provider = providerToBigInt(params.provider);
  const out = new Uint8Array(byteLength);
  postedCiphertext.forEach((posted, chunkIndex) => {
    const chunkBytes = Math.min(CHUNK_BYTES, byteLength - chunkIndex * CHUNK_BYTES);
    if (chunkBytes < 0 || posted.length !== Math.ceil(chunkBytes / BYTES_PER_ELEMENT)) {
      throw new OutOfRangeError(`chunk ${chunkIndex} posted elements`, posted.length, `ceil(${chunkBytes} / 31)`);
    }
    const expected = chunkCommitments?.[chunkIndex];
    if (expected !== undefined) {
      const actual = outputCommitment({ ciphertext: posted });
      if (actual !== expected)
        throw new CommitmentMismatchError(`chunk ${chunkIndex} outputCommitment`, expected, actual);
    }
    const ks = chunkKeystream({ outputKey, jobId, provider, chunkIndex });
    const plain = posted.map((c, i) => mod(c - ks[i]!));
    out.set(unpackElements({ elements: plain, byteLength: chunkBytes, chunkIndex }), chunkIndex * CHUNK_BYTES);
  });
  return out;
}
