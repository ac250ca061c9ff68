// The provider's side of one job, played by the benchmark so that a receipt of any size exists on the chain: claim
// the job, prove every chunk of a given output with the committed circuit keys, submit it. Only the model is replaced
// by a fixed output (one token per byte); everything the chain and the verifier see is real.
import type { PrivateKeyAccount } from "viem";
import { CHUNK_BYTES, proveChunk, type EvmProof } from "@octo/circuits";
import { loadProverArtifacts } from "@octo/circuits/node";
import type { Devnet } from "@octo/devnet";
import { jobMarketAbi } from "@octo/sdk";

export type SubmitProvenOutputParameters = {
  provider: PrivateKeyAccount;
  jobId: bigint;
  /** The job's output key (createJob returns it to the user; the provider derives it from the job secret). */
  outputKey: bigint;
  output: Uint8Array;
  maxTokens: number;
};

export async function submitProvenOutput(devnet: Devnet, p: SubmitProvenOutputParameters): Promise<void> {
  const market = { address: devnet.contracts.JobMarket.address, abi: jobMarketAbi } as const;
  await devnet.write(p.provider, { ...market, functionName: "claimJob", args: [p.jobId] });
  const artifacts = loadProverArtifacts();
  const chunks: { outputCommitment: bigint; byteLength: number; tokenCount: number }[] = [];
  const ciphertext: bigint[] = [];
  const proofs: EvmProof[] = [];
  for (let i = 0; i * CHUNK_BYTES < p.output.length; i++) {
    const chunk = p.output.slice(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES);
    const proven = await proveChunk({
      artifacts,
      chunk,
      chunkIndex: i,
      outputKey: p.outputKey,
      jobId: p.jobId,
      provider: p.provider.address,
      tokenCount: chunk.length,
      maxTokens: p.maxTokens,
    });
    chunks.push({ outputCommitment: proven.publicSignals[0], byteLength: chunk.length, tokenCount: chunk.length });
    ciphertext.push(...proven.encrypted.postedCiphertext);
    proofs.push(proven.proof);
  }
  const result = { chunks, ciphertext, ciphertextURI: "", ciphertextHash: `0x${"00".repeat(32)}` as const };
  await devnet.write(p.provider, { ...market, functionName: "submitResult", args: [p.jobId, result, proofs] });
}
