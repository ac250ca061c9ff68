// A cheating provider: on a job named to it (claimed by the job's creation) it posts a made-up answer under a valid proof (the proof binds the
// ciphertext to the job's committed key, not to the model), as a provider that skips inference would.
import { CHUNK_BYTES, proveChunk } from "@octo/circuits";
import { loadProverArtifacts } from "@octo/circuits/node";
import { zeroHash } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import type { Devnet } from "@octo/devnet";
import { jobMarketAbi } from "@octo/sdk";

export async function postForgedResult({
  market,
  cheater,
  jobId,
  outputKey,
  maxTokens,
}: {
  market: Devnet;
  cheater: PrivateKeyAccount;
  jobId: bigint;
  outputKey: bigint;
  maxTokens: number;
}): Promise<void> {
  const jobMarket = { address: market.contracts.JobMarket.address, abi: jobMarketAbi } as const;
  const forged = new TextEncoder().encode("five, and pay me for it").subarray(0, CHUNK_BYTES);
  const proven = await proveChunk({
    artifacts: loadProverArtifacts(),
    chunk: forged,
    chunkIndex: 0,
    outputKey,
    jobId,
    provider: cheater.address,
    tokenCount: 6,
    maxTokens,
  });
  const result = {
    chunks: [{ outputCommitment: proven.publicSignals[0], byteLength: forged.length, tokenCount: 6 }],
    ciphertext: proven.encrypted.postedCiphertext,
    ciphertextURI: "",
    ciphertextHash: zeroHash,
  };
  await market.write(cheater, { ...jobMarket, functionName: "submitResult", args: [jobId, result, [proven.proof]] });
}
