// One request, as market jobs: choose a provider, check the request against its offer (nothing is paid for a request
// that cannot run), pay, follow. A provider that lets the deadline pass is reclaimed from and, while the client has
// received nothing yet, the request goes to another provider, up to `maxAttempts`; then it is a 504.
import type { Address, Hash } from "viem";
import { NoProviderError, type Offer } from "@octo/sdk";
import type { Logger } from "pino";
import type { JobRequest } from "../api/parseJobRequest.ts";
import { invalidRequest } from "../errors/GatewayError.ts";
import type { Market } from "../market/connectMarket.ts";
import type { CatalogModel } from "../market/modelCatalog.ts";
import { chooseOffer } from "../market/chooseOffer.ts";
import { payForJob, type PayForJobParameters } from "../market/payForJob.ts";
import type { Store } from "../store/openStore.ts";
import { followJob, ProviderTimeoutError, type FollowJobReturnType } from "./followJob.ts";
import type { Settler } from "./settler.ts";

/** Tokens are at least one byte in the vocabularies the market serves (byte-level BPE, SentencePiece with byte
 *  fallback) and rarely more than this many: a prompt longer than `maxContext × this` bytes cannot fit any provider's
 *  context, and is refused before it is paid for. Shorter ones that still do not fit are handed back by the provider
 *  (released as PromptTooLong, the escrow refunded). */
export const MAX_BYTES_PER_TOKEN = 16;

export type RunJobSettings = {
  defaultMaxTokens: number;
  deadlineSeconds: number;
  maxAttempts: number;
  /** What a top-up deposits into the operator's market balance (undefined: the whole wallet). */
  topUp: bigint | undefined;
  streamUrls: Readonly<Record<string, string>>;
  pollIntervalMs: number;
};

export type RunJobParameters = {
  market: Market;
  store: Store;
  settler: Settler;
  logger: Logger;
  settings: RunJobSettings;
  keyId: string;
  request: JobRequest;
  model: CatalogModel;
  /** Jobs being followed by a request (the settler leaves their reclaiming to the request). */
  attached: Set<bigint>;
  onJobCreated?: ((job: CreatedJob) => void) | undefined;
  onText?: ((text: string) => void) | undefined;
  onDeposit?: PayForJobParameters["onDeposit"];
};

export type CreatedJob = {
  jobId: bigint;
  provider: Address;
  pricePerToken: bigint;
  maxCost: bigint;
  maxTokens: number;
  createHash: Hash;
  /** The top-up of the operator's market balance this job needed, if any. */
  depositHash: Hash | undefined;
};
export type FailedAttempt = { jobId: bigint; provider: Address; reclaimHash: Hash | undefined };
export type RunJobReturnType = FollowJobReturnType & { job: CreatedJob; failedAttempts: FailedAttempt[] };

export async function runJob(p: RunJobParameters): Promise<RunJobReturnType> {
  const { market, request, model, settings } = p;
  const failedAttempts: FailedAttempt[] = [];
  const exclude = new Set<string>();
  let lastTimeout: ProviderTimeoutError | undefined;
  for (;;) {
    const chosen = chooseOffer(market, {
      modelId: model.modelId,
      policy: request.policy,
      minTier: Math.max(request.minTier, model.minTier),
      maxPricePerToken: request.maxPricePerToken,
      exclude,
    });
    // A retry that finds no other provider answers with the timeout that caused it.
    const offer = lastTimeout
      ? await chosen.catch((error: unknown) => Promise.reject(error instanceof NoProviderError ? lastTimeout : error))
      : await chosen;
    const maxTokens = checkAgainstOffer(request, offer, settings.defaultMaxTokens);
    const paid = await payForJob(market, {
      store: p.store,
      keyId: p.keyId,
      offer,
      modelId: model.modelId,
      input: request.input,
      maxOutputTokens: maxTokens,
      verifiable: request.verifiable,
      deadlineSeconds: settings.deadlineSeconds,
      topUp: settings.topUp,
      onDeposit: p.onDeposit,
    });
    const job: CreatedJob = {
      jobId: paid.jobId,
      provider: offer.provider,
      pricePerToken: offer.pricePerToken,
      maxCost: paid.maxCost,
      maxTokens,
      createHash: paid.hash,
      depositHash: paid.depositHash,
    };
    p.logger.info(
      {
        jobId: job.jobId.toString(),
        provider: job.provider,
        maxCost: job.maxCost.toString(),
        model: model.id,
        keyId: p.keyId,
        user: request.user,
      },
      "job created",
    );
    p.attached.add(job.jobId);
    p.onJobCreated?.(job);
    try {
      const outcome = await followJob({
        market,
        settler: p.settler,
        logger: p.logger,
        jobId: paid.jobId,
        jobSecret: paid.jobSecret,
        provider: offer.provider,
        streamUrl: settings.streamUrls[offer.provider.toLowerCase()],
        wait: request.wait,
        onText: p.onText,
        pollIntervalMs: settings.pollIntervalMs,
      });
      return { ...outcome, job, failedAttempts };
    } catch (error) {
      if (!(error instanceof ProviderTimeoutError)) throw error;
      lastTimeout = error;
      failedAttempts.push({ jobId: job.jobId, provider: job.provider, reclaimHash: error.reclaimHash });
      exclude.add(job.provider.toLowerCase());
      // A client that has seen part of an answer cannot be given another one.
      if (error.streamedAny || failedAttempts.length >= settings.maxAttempts) throw error;
      p.logger.warn(
        { jobId: job.jobId.toString(), provider: job.provider },
        "provider timed out: retrying on another provider",
      );
    } finally {
      p.attached.delete(job.jobId);
    }
  }
}

/** The request's output limit within the offer's context; refuses what cannot fit before anything is paid. */
function checkAgainstOffer(request: JobRequest, offer: Offer, defaultMaxTokens: number): number {
  if (request.maxTokens !== undefined && request.maxTokens >= offer.maxContext)
    throw invalidRequest(
      `'max_tokens' is ${request.maxTokens}, but this model's context holds ${offer.maxContext} tokens, prompt included`,
      "max_tokens_exceeded",
      "max_tokens",
    );
  if (request.promptBytes > offer.maxContext * MAX_BYTES_PER_TOKEN)
    throw invalidRequest(
      `the prompt is ${request.promptBytes} bytes, more than this model's ${offer.maxContext}-token context can hold`,
      "context_length_exceeded",
      request.kind === "chat" ? "messages" : "prompt",
    );
  return request.maxTokens ?? Math.min(defaultMaxTokens, offer.maxContext - 1);
}
