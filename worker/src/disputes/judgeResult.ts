// A committee member's verdict on a disputed result. Every job's bill is checked from its output alone (judgeBill):
// the provider is at fault when it billed more tokens than the output's canonical count (billing/canonicalTokens.ts).
// A verifiable job is also re-run (judgeResult): the provider is at fault when the output it committed to is not the
// one the model produces, or when it billed more tokens than the model generated.
// The comparison is of commitments: the validator encrypts its own output exactly as the provider had to (same key,
// job id and provider address), so equal plaintexts give equal chunk commitments and so an equal output root.
import { encryptOutput } from "@octo/circuits";
import type { Address, Hex } from "viem";
import { splitTokensByChunk } from "../pipeline/splitTokensByChunk.ts";

export type JudgeResultParameters = {
  /** The validator's own output for the job, and the byte length of that output after each token. */
  output: string;
  tokenByteEnds: readonly number[];
  outputKey: bigint;
  jobId: bigint;
  provider: Address;
  /** The canonical token count of that output. */
  canonicalTokens: number;
  /** What the provider posted (JobMarket.getJob). */
  posted: { outputRoot: Hex; tokenCount: number };
};

export type JudgeBillParameters = { tokenCount: number; canonicalTokens: number };

/** The bill alone: for a job that is not re-run (not verifiable), from the posted output opened with the secret. */
export function judgeBill({ tokenCount, canonicalTokens }: JudgeBillParameters): {
  providerAtFault: boolean;
  reason: string;
} {
  if (tokenCount > canonicalTokens)
    return { providerAtFault: true, reason: `billed ${tokenCount} tokens, the output tokenizes to ${canonicalTokens}` };
  return { providerAtFault: false, reason: `billed ${tokenCount} tokens, within the output's ${canonicalTokens}` };
}

export type Verdict = { providerAtFault: boolean; reason: string; expectedRoot: Hex; expectedTokens: number };

export function judgeResult(p: JudgeResultParameters): Verdict {
  const bytes = new TextEncoder().encode(p.output);
  const { outputRoot } = encryptOutput({ output: bytes, outputKey: p.outputKey, jobId: p.jobId, provider: p.provider });
  const expectedTokens = splitTokensByChunk({ tokenByteEnds: p.tokenByteEnds, byteLength: bytes.length }).reduce(
    (a, b) => a + b,
    0,
  );
  const base = { expectedRoot: outputRoot, expectedTokens };
  if (outputRoot.toLowerCase() !== p.posted.outputRoot.toLowerCase()) {
    return { ...base, providerAtFault: true, reason: "the posted output is not the model's output for this job" };
  }
  if (p.posted.tokenCount > expectedTokens) {
    return {
      ...base,
      providerAtFault: true,
      reason: `billed ${p.posted.tokenCount} tokens, the model generated ${expectedTokens}`,
    };
  }
  const bill = judgeBill({ tokenCount: p.posted.tokenCount, canonicalTokens: p.canonicalTokens });
  if (bill.providerAtFault) return { ...base, ...bill };
  return { ...base, providerAtFault: false, reason: "the posted output is the model's output" };
}
