// The bodies the gateway answers with, in OpenAI's shapes (chat.completion, text_completion and their stream chunks),
// each with the `octo` object that links it to its job on-chain.
import type { CompletionKind } from "./parseJobRequest.ts";
import type { CreatedJob, FailedAttempt } from "../jobs/runJob.ts";
import type { JobStatusName } from "@octo/sdk";
import type { Address, Hash, Hex } from "viem";

export type OctoResponseInfo = {
  job_id: string;
  model_id: Hex;
  provider: Address;
  payment_token: Address;
  price_per_token: string;
  max_cost: string;
  /** Billed tokens × price, once the receipt is on-chain. */
  cost: string | null;
  verifiable: boolean;
  receipt: {
    status: JobStatusName | "Pending";
    transactions: { deposit: Hash | null; create: Hash; result: Hash | null; finalize: Hash | null };
  };
  failed_attempts: { job_id: string; provider: Address; reclaim: Hash | null }[];
};

export type Usage = { prompt_tokens: number; completion_tokens: number; total_tokens: number };
export type FinishReason = "stop" | "length";

export function octoInfo(p: {
  job: CreatedJob;
  modelId: Hex;
  paymentToken: Address;
  verifiable: boolean;
  failedAttempts: readonly FailedAttempt[];
  outcome?:
    | { status: JobStatusName; completionTokens: number | undefined; transactions: { result?: Hash; finalize?: Hash } }
    | undefined;
}): OctoResponseInfo {
  const { job, outcome } = p;
  return {
    job_id: job.jobId.toString(),
    model_id: p.modelId,
    provider: job.provider,
    payment_token: p.paymentToken,
    price_per_token: job.pricePerToken.toString(),
    max_cost: job.maxCost.toString(),
    cost:
      outcome?.completionTokens === undefined
        ? null
        : (BigInt(outcome.completionTokens) * job.pricePerToken).toString(),
    verifiable: p.verifiable,
    receipt: {
      status: outcome?.status ?? "Pending",
      transactions: {
        deposit: job.depositHash ?? null,
        create: job.createHash,
        result: outcome?.transactions.result ?? null,
        finalize: outcome?.transactions.finalize ?? null,
      },
    },
    failed_attempts: p.failedAttempts.map((a) => ({
      job_id: a.jobId.toString(),
      provider: a.provider,
      reclaim: a.reclaimHash ?? null,
    })),
  };
}

/** The receipt's billed tokens. The market bills output tokens only: the prompt is not counted, so prompt_tokens is
 *  0. Undefined before the receipt is on-chain (wait mode "streamed"): OpenAI's `usage` is optional. */
export const usageOf = (completionTokens: number | undefined): Usage | undefined =>
  completionTokens === undefined
    ? undefined
    : { prompt_tokens: 0, completion_tokens: completionTokens, total_tokens: completionTokens };

const idOf = (kind: CompletionKind, jobId: bigint) => `${kind === "chat" ? "chatcmpl" : "cmpl"}-octo-${jobId}`;

export function completionBody(p: {
  kind: CompletionKind;
  jobId: bigint;
  created: number;
  model: string;
  text: string;
  finishReason: FinishReason;
  usage: Usage | undefined;
  octo: OctoResponseInfo;
}) {
  const common = {
    id: idOf(p.kind, p.jobId),
    created: p.created,
    model: p.model,
    system_fingerprint: null,
    ...(p.usage ? { usage: p.usage } : {}),
    octo: p.octo,
  };
  if (p.kind === "chat")
    return {
      ...common,
      object: "chat.completion",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: p.text, refusal: null },
          finish_reason: p.finishReason,
          logprobs: null,
        },
      ],
    };
  return {
    ...common,
    object: "text_completion",
    choices: [{ index: 0, text: p.text, finish_reason: p.finishReason, logprobs: null }],
  };
}

/** One stream chunk: a piece of text, the first (chat: the role), or the last (the finish reason). */
export function chunkBody(p: {
  kind: CompletionKind;
  jobId: bigint;
  created: number;
  model: string;
  text?: string;
  first?: boolean;
  finishReason?: FinishReason;
  octo?: OctoResponseInfo;
}) {
  const common = {
    id: idOf(p.kind, p.jobId),
    created: p.created,
    model: p.model,
    system_fingerprint: null,
    ...(p.octo ? { octo: p.octo } : {}),
  };
  const finish_reason = p.finishReason ?? null;
  if (p.kind === "chat") {
    const delta = { ...(p.first ? { role: "assistant" } : {}), ...(p.text !== undefined ? { content: p.text } : {}) };
    return {
      ...common,
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta, finish_reason, logprobs: null }],
    };
  }
  return {
    ...common,
    object: "text_completion",
    choices: [{ index: 0, text: p.text ?? "", finish_reason, logprobs: null }],
  };
}

/** The closing chunk of `stream_options.include_usage`: no choices, the usage. */
export function usageChunkBody(p: {
  kind: CompletionKind;
  jobId: bigint;
  created: number;
  model: string;
  usage: Usage;
  octo: OctoResponseInfo;
}) {
  return {
    id: idOf(p.kind, p.jobId),
    object: p.kind === "chat" ? "chat.completion.chunk" : "text_completion",
    created: p.created,
    model: p.model,
    system_fingerprint: null,
    choices: [],
    usage: p.usage,
    octo: p.octo,
  };
}
