// Real Groth16 proofs for contract tests, made with the circuits library and the committed keys.
// Proving takes ~1–2 s per chunk here, so every proof is cached for the life of the test process.
import { CHUNK_BYTES, deriveJobKeys, keyCommitment, proveChunk, type ProverArtifacts } from "@octo/circuits";
import { loadProverArtifacts } from "@octo/circuits/node";

let artifacts: ProverArtifacts | undefined;
const cache = new Map<string, Promise<ProvenOutput>>();

export type ProvenOutput = {
  result: {
    chunks: { outputCommitment: bigint; byteLength: number; tokenCount: number }[];
    ciphertext: bigint[];
    ciphertextURI: string;
    ciphertextHash: string;
  };
  proofs: bigint[][];
};

/** The output key and its commitment for a test job secret (deterministic per label). */
export function testKeys(label: number) {
  const jobSecret = new Uint8Array(32).fill(label);
  const { outputKey } = deriveJobKeys({ jobSecret });
  return { outputKey, keyCommitment: keyCommitment({ outputKey }) };
}

/** Proves `text` for (jobId, provider), one proof per 1984-byte chunk; each chunk bills min(bytes, tokensPerChunk). */
export function proveOutput(params: {
  jobId: bigint;
  provider: string;
  outputKey: bigint;
  text: string;
  maxTokens: number;
  tokensPerChunk: number;
}): Promise<ProvenOutput> {
  const key = `${params.jobId}|${params.provider}|${params.outputKey}|${params.text}|${params.maxTokens}|${params.tokensPerChunk}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = prove(params);
    cache.set(key, hit);
  }
  return hit;
}

async function prove(p: Parameters<typeof proveOutput>[0]): Promise<ProvenOutput> {
  artifacts ??= loadProverArtifacts();
  const bytes = new TextEncoder().encode(p.text);
  const n = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
  const chunks: ProvenOutput["result"]["chunks"] = [];
  const ciphertext: bigint[] = [];
  const proofs: bigint[][] = [];
  for (let i = 0; i < n; i++) {
    const chunk = bytes.slice(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES);
    const tokenCount = Math.min(chunk.length, p.tokensPerChunk);
    const proven = await proveChunk({
      artifacts,
      chunk,
      chunkIndex: i,
      outputKey: p.outputKey,
      jobId: p.jobId,
      provider: p.provider as `0x${string}`,
      tokenCount,
      maxTokens: p.maxTokens,
    });
    chunks.push({ outputCommitment: proven.publicSignals[0], byteLength: chunk.length, tokenCount });
    ciphertext.push(...proven.encrypted.postedCiphertext);
    proofs.push([...proven.proof]);
  }
  return { result: { chunks, ciphertext, ciphertextURI: "", ciphertextHash: "0x" + "00".repeat(32) }, proofs };
}

/** snarkjs keeps worker threads alive; call once after the last proof. */
export async function releaseProver(): Promise<void> {
  const curve = (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128;
  if (curve) await curve.terminate();
}
