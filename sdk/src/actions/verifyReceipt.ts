import {
  ciphertextHash,
  outputCommitment,
  outputRoot,
  packStatement,
  verifyChunk,
  type VerificationKey,
} from "@octo/circuits";
import publishedVerificationKey from "@octo/circuits/keys/verification_key.json" with { type: "json" };
import type { OctoClient, WithDeployments } from "../internal/client.ts";
import { splitCiphertext } from "../internal/splitCiphertext.ts";
import { getJob } from "./getJob.ts";
import { getResult, type GetResultReturnType } from "./getResult.ts";

export type VerifyReceiptParameters = WithDeployments & {
  jobId: bigint;
  /** The circuit's verification key (default: the one published with @octo/circuits, which the deployed verifier
   *  was generated from). */
  verificationKey?: VerificationKey | undefined;
  /** The submitted result to check instead of reading it from the chain (an explorer that already holds it, or a
   *  test passing a tampered copy). The job's stored record (roots, token count, key commitment) is still read from
   *  the chain, so a copy that differs from what was proven fails a check. */
  result?: GetResultReturnType | undefined;
};

/** One named check, its outcome, what was compared, and the milliseconds it took (since the check before it). */
export type ReceiptCheck = { name: string; ok: boolean; details: string; ms: number };
export type VerifyReceiptReturnType = {
  /** True when every check passed. */
  ok: boolean;
  checks: ReceiptCheck[];
  result: GetResultReturnType;
};

/**
 * An auditor's check of a job's result from public data alone (the ResultSubmitted event, the job's stored record and
 * the circuit's verification key), without the job's secret: every chunk proof is verified again off-chain; each
 * chunk's posted ciphertext is hashed to the digest its proof committed to; the outputs root, the ciphertext hash and
 * the token count are recomputed and compared with what the market recorded. Each check is reported by name; none
 * throws.
 */
export async function verifyReceipt(
  client: OctoClient,
  { deployments, jobId, verificationKey, ...p }: VerifyReceiptParameters,
): Promise<VerifyReceiptReturnType> {
  const job = await getJob(client, { deployments, jobId });
  const result = p.result ?? (await getResult(client, { deployments, jobId }));
  const key = verificationKey ?? (publishedVerificationKey as VerificationKey);
  const checks: ReceiptCheck[] = [];
  let since = performance.now();
  const check = (name: string, ok: boolean, details: string) => {
    const now = performance.now();
    checks.push({ name, ok, details, ms: now - since });
    since = now;
  };

  const commitments = result.chunks.map((c) => c.outputCommitment);
  const root = outputRoot({ chunkCommitments: commitments });
  check(
    "outputRoot",
    root === result.outputRoot && root === job.outputRoot,
    `keccak256(chunk commitments) ${root}; event ${result.outputRoot}; stored ${job.outputRoot}`,
  );

  const tokens = result.chunks.reduce((n, c) => n + BigInt(c.tokenCount), 0n);
  check(
    "tokenCount",
    tokens === result.tokenCount && tokens === BigInt(job.tokenCount) && tokens <= BigInt(job.maxOutputTokens),
    `Σ chunk tokens ${tokens}; event ${result.tokenCount}; stored ${job.tokenCount}; limit ${job.maxOutputTokens}`,
  );

  check(
    "proofCount",
    result.proofs.length === result.chunks.length,
    `${result.proofs.length} proofs for ${result.chunks.length} chunks`,
  );

  const { perChunk, elements: at } = splitCiphertext(result);
  if (result.ciphertextURI === "") {
    const hash = ciphertextHash({ postedCiphertext: perChunk });
    check(
      "ciphertextLength",
      at === result.ciphertext.length,
      `${result.ciphertext.length} elements posted; the chunks need ${at}`,
    );
    check(
      "ciphertextHash",
      hash === result.ciphertextHash && hash === job.ciphertextHash,
      `keccak256(posted ciphertext) ${hash}; event ${result.ciphertextHash}; stored ${job.ciphertextHash}`,
    );
  } else {
    check(
      "ciphertextHash",
      false,
      `the ciphertext is at ${result.ciphertextURI}, which the sdk does not fetch: not checked`,
    );
  }

  for (const [i, chunk] of result.chunks.entries()) {
    if (result.ciphertextURI === "") {
      const digest = outputCommitment({ ciphertext: perChunk[i]! });
      check(
        `chunk[${i}].ciphertextDigest`,
        digest === chunk.outputCommitment,
        `Poseidon digest of the posted elements ${digest}; proven commitment ${chunk.outputCommitment}`,
      );
    }
    const statement = packStatement({
      jobId,
      provider: result.provider,
      chunkIndex: i,
      byteLength: chunk.byteLength,
      tokenCount: chunk.tokenCount,
      maxTokens: job.maxOutputTokens,
    });
    const proof = result.proofs[i];
    const ok =
      proof !== undefined &&
      (await verifyChunk({
        verificationKey: key,
        proof: [...proof],
        publicSignals: [chunk.outputCommitment, job.keyCommitment, statement],
      }));
    check(
      `chunk[${i}].proof`,
      ok,
      `Groth16 over (outputCommitment, keyCommitment ${job.keyCommitment}, statement ${statement})`,
    );
  }
  return { ok: checks.every((c) => c.ok), checks, result };
}
