// Follows one paid job until the request's wait mode is met: the provider's live tokens as they come (the sdk's
// watchJob, opened with the job secret), the chain's status, and the proven result, decrypted from the chain, which
// is what the answer is once it is there. When the stream fails (no stream URL, the provider died) the chain's result
// is the fallback. When the job's deadline passes without a result, the settler reclaims the escrow and this rejects
// with a provider timeout, so the request can be retried elsewhere.
import type { Address, Hash } from "viem";
import type { JobStatusName } from "@octo/sdk";
import type { Logger } from "pino";
import { GatewayError } from "../errors/GatewayError.ts";
import type { Market } from "../market/connectMarket.ts";
import type { WaitMode } from "../api/parseJobRequest.ts";
import type { Settler } from "./settler.ts";

export type FollowJobParameters = {
  market: Market;
  settler: Settler;
  logger: Logger;
  jobId: bigint;
  jobSecret: Uint8Array;
  provider: Address;
  streamUrl: string | undefined;
  wait: WaitMode;
  /** Each piece of text as the provider streams it. */
  onText?: ((text: string) => void) | undefined;
  /** How often the deadline is checked. */
  pollIntervalMs?: number | undefined;
};

export type FollowJobReturnType = {
  /** The chain's decrypted result (or the stream's, in "streamed" mode). */
  text: string;
  /** The text that was streamed live (the client already has it when streaming). */
  streamed: string;
  /** Billed tokens, from the receipt; undefined in "streamed" mode when the answer came before the receipt. */
  completionTokens: number | undefined;
  status: JobStatusName;
  transactions: { result?: Hash; finalize?: Hash };
};

/** Rejected after the escrow was reclaimed (or the market ended the job) without a result. */
export class ProviderTimeoutError extends GatewayError {
  override name = "ProviderTimeoutError";
  readonly jobId: bigint;
  readonly reclaimHash: Hash | undefined;
  readonly streamedAny: boolean;
  constructor(jobId: bigint, status: JobStatusName, reclaimHash: Hash | undefined, streamedAny: boolean) {
    super(`the provider did not deliver job ${jobId} before its deadline (${status}); the escrow was refunded`, {
      status: 504,
      type: "timeout_error",
      code: "provider_timeout",
    });
    this.jobId = jobId;
    this.reclaimHash = reclaimHash;
    this.streamedAny = streamedAny;
  }
}

const WITH_RESULT = new Set<JobStatusName>(["Submitted", "Disputed", "Finalized"]);
const WITHOUT_RESULT = new Set<JobStatusName>(["Cancelled", "TimedOut", "Refunded", "Slashed"]);

export function followJob(p: FollowJobParameters): Promise<FollowJobReturnType> {
  const { market, jobId, jobSecret, wait } = p;
  return new Promise((resolve, reject) => {
    let streamed = "";
    let streamEnded = false;
    let status: JobStatusName | undefined;
    let done = false;
    let reclaimHash: Hash | undefined;
    const transactions: FollowJobReturnType["transactions"] = {};
    let opening: Promise<void> | undefined;
    let chainTextSent = false;

    const finish = (outcome: FollowJobReturnType | Error) => {
      if (done) return;
      done = true;
      stopWatching();
      clearInterval(deadlineTimer);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };

    const fromChain = () =>
      (opening ??= (async () => {
        const { text, result } = await market.client.openResult({ jobId, jobSecret });
        // The chain's text is the answer; a streaming client gets what the stream had not sent yet, and no stream
        // piece after it.
        chainTextSent = true;
        if (text.startsWith(streamed) && text.length > streamed.length) p.onText?.(text.slice(streamed.length));
        else if (!text.startsWith(streamed))
          p.logger.warn({ jobId: jobId.toString() }, "the provider's stream differs from its proven result");
        transactions.result = result.transactionHash;
        const outcome = { text, streamed, completionTokens: Number(result.tokenCount), transactions };
        if (wait !== "finalized") return finish({ ...outcome, status: status ?? "Submitted" });
        // Finalized: wait for the status; the text is in hand.
        finalOutcome = outcome;
        decide();
      })().catch((error: unknown) => finish(error instanceof Error ? error : new Error(String(error)))));
    let finalOutcome: Omit<FollowJobReturnType, "status"> | undefined;

    const decide = () => {
      if (done || status === undefined) return;
      if (WITHOUT_RESULT.has(status))
        return finish(new ProviderTimeoutError(jobId, status, reclaimHash, streamed.length > 0));
      if (wait === "streamed" && streamEnded && !WITH_RESULT.has(status))
        return finish({ text: streamed, streamed, completionTokens: undefined, status, transactions });
      if (!WITH_RESULT.has(status)) return;
      if (wait === "finalized" && finalOutcome && status === "Finalized") return finish({ ...finalOutcome, status });
      void fromChain();
    };

    // While the provider's tokens keep coming it is alive and working: the deadline check (two chain reads and a store
    // read) waits until the stream pauses or ends, rather than run beside every token. A provider that dies stops
    // streaming, and the checks resume at once.
    let lastPieceAt = -Infinity;
    const interval = p.pollIntervalMs ?? 1_000;
    const stopWatching = market.client.watchJob({
      jobId,
      jobSecret,
      streamUrl: p.streamUrl,
      onPiece: ({ text }) => {
        lastPieceAt = performance.now();
        if (chainTextSent) return;
        streamed += text;
        p.onText?.(text);
      },
      onStreamEnd: () => ((streamEnded = true), decide()),
      onStatus: (s) => ((status = s), decide()),
      onEvent: (event) => {
        if (event.eventName === "ResultSubmitted") transactions.result = event.transactionHash;
        if (event.eventName === "JobFinalized") transactions.finalize = event.transactionHash;
      },
      // A stream that fails leaves the chain's result; a chain read that fails is tried again on the next poll.
      onError: (error) => p.logger.warn({ jobId: jobId.toString(), err: error }, "watching the job"),
    });

    const deadlineTimer = setInterval(() => {
      if (done || (status !== undefined && status !== "Open" && status !== "Claimed")) return;
      if (!streamEnded && performance.now() - lastPieceAt < interval) return;
      p.settler.check(jobId, { reclaimIfLate: true }).then(
        (checked) => {
          if (checked.reclaimHash) reclaimHash = checked.reclaimHash;
          if (checked.status !== status) (status = checked.status), decide();
        },
        (error: unknown) => p.logger.warn({ jobId: jobId.toString(), err: error }, "checking the job's deadline"),
      );
    }, interval);
  });
}
