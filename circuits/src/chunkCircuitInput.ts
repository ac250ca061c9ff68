// The witness input of the chunk circuit (src/result-chunk.circom): public signals plus outputKey and plaintext.
import { CHUNK_BYTES } from "./constants.ts";
import { encryptChunk, type EncryptedChunk } from "./encryptOutput.ts";
import { OutOfRangeError } from "./errors.ts";
import { keyCommitment } from "./keyCommitment.ts";
import type { PublicSignals } from "./publicSignals.ts";
import { packStatement, type Address } from "./statement.ts";

export type ChunkCircuitInput = {
  outputCommitment: string;
  keyCommitment: string;
  statement: string;
  outputKey: string;
  plaintext: string[];
};

export type ChunkCircuitInputParameters = {
  /** The chunk's plaintext bytes (<= 1984). */
  chunk: Uint8Array;
  chunkIndex: number;
  outputKey: bigint;
  jobId: bigint;
  provider: Address | bigint;
  tokenCount: number;
  maxTokens: number;
};
export type ChunkCircuitInputReturnType = {
  input: ChunkCircuitInput;
  publicSignals: PublicSignals;
  encrypted: EncryptedChunk;
};

export function chunkCircuitInput(p: ChunkCircuitInputParameters): ChunkCircuitInputReturnType {
  if (p.chunk.length > CHUNK_BYTES) throw new OutOfRangeError("chunk length", p.chunk.length, `<= ${CHUNK_BYTES}`);
  const encrypted = encryptChunk({
    chunk: p.chunk,
    outputKey: p.outputKey,
    jobId: p.jobId,
    provider: p.provider,
    chunkIndex: p.chunkIndex,
  });
  const statement = packStatement({
    jobId: p.jobId,
    provider: p.provider,
    chunkIndex: p.chunkIndex,
    byteLength: p.chunk.length,
    tokenCount: p.tokenCount,
    maxTokens: p.maxTokens,
  });
  const publicSignals: PublicSignals = [
    encrypted.outputCommitment,
    keyCommitment({ outputKey: p.outputKey }),
    statement,
  ];
  return {
    input: {
      outputCommitment: publicSignals[0].toString(),
      keyCommitment: publicSignals[1].toString(),
      statement: publicSignals[2].toString(),
      outputKey: p.outputKey.toString(),
      plaintext: encrypted.plaintext.map((v) => v.toString()),
    },
    publicSignals,
    encrypted,
  };
}
