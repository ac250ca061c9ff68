import {
  hexToBytes,
  isAddressEqual,
  numberToHex,
  parseEventLogs,
  zeroAddress,
  type Address,
  type Hex,
  type Log,
} from "viem";
import { getBlockNumber } from "viem/actions";
import { deriveJobKeys, deriveStreamKey, openStreamPiece } from "@octo/circuits";
import { jobMarketAbi } from "../generated/abis.ts";
import { JobStatusNames, type JobStatusName } from "../generated/enums.ts";
import { StreamError } from "../errors/errors.ts";
import type { OctoClient, WithAccount, WithDeployments } from "../internal/client.ts";
import { deliverJobKey } from "./deliverJobKey.ts";
import { getJob } from "./getJob.ts";

/** One of the market's events about this job, decoded. */
export type JobEvent = ReturnType<typeof parseEventLogs<typeof jobMarketAbi>>[number];

export type WatchJobParameters = WithDeployments &
  WithAccount & {
    jobId: bigint;
    /** The job's secret: opens the stream, and is delivered to the claimant of an open job. */
    jobSecret: Uint8Array;
    /** The provider's stream server (`stream.url` of its worker); no live output when omitted. */
    streamUrl?: string | undefined;
    /** Every market event of this job, in chain order. */
    onEvent?: ((event: JobEvent) => void) | undefined;
    /** The job's status after each block that changed it. */
    onStatus?: ((status: JobStatusName) => void) | undefined;
    /** Each piece of live output, opened with the job's stream key, in order. */
    onPiece?: ((piece: { index: number; text: string }) => void) | undefined;
    /** The stream ended (the provider generated the whole output). */
    onStreamEnd?: (() => void) | undefined;
    onError?: ((error: Error) => void) | undefined;
    /** Deliver the job secret to whoever claims an open job (needs an account; default true when there is one). */
    deliverKey?: boolean | undefined;
    /** From this block (default: the market's deployment block). */
    fromBlock?: bigint | undefined;
    pollingInterval?: number | undefined;
  };
/** Stops watching (and closes the stream). */
export type WatchJobReturnType = () => void;

const TERMINAL = new Set<JobStatusName>(["Finalized", "Cancelled", "TimedOut", "Slashed", "Refunded"]);

/**
 * Watches one job: its market events and status as they are mined, its live output from the provider's stream
 * (decrypted), and, for a job that did not name the provider that claimed it, the key delivery that lets that
 * provider start. Stops by itself once the job reaches a terminal status.
 */
export function watchJob(client: OctoClient, parameters: WatchJobParameters): WatchJobReturnType {
  const { deployments, jobId, jobSecret, onEvent, onStatus, onError } = parameters;
  const market = deployments.contracts.JobMarket;
  const interval = parameters.pollingInterval ?? client.pollingInterval;
  const deliver = (parameters.deliverKey ?? true) && (parameters.account ?? client.account) !== undefined;
  const abort = new AbortController();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let next = parameters.fromBlock ?? market.deployedOnBlock;
  let status: JobStatusName | undefined;
  let named: Address | undefined;
  const delivered = new Set<string>();
  /** The claimant of an open job still waiting for its key. */
  let owed: Address | undefined;
  const fail = (error: unknown) => onError?.(error instanceof Error ? error : new Error(String(error)));

  const poll = async () => {
    const head = await getBlockNumber(client, { cacheTime: 0 });
    // Every event of the market whose first indexed argument is this job id (none when no block came: a key still
    // owed is tried again all the same).
    const logs: Log[] =
      head < next
        ? []
        : await client.request({
            method: "eth_getLogs",
            params: [
              {
                address: market.address,
                fromBlock: numberToHex(next),
                toBlock: numberToHex(head),
                topics: [null, numberToHex(jobId, { size: 32 })],
              },
            ],
          });
    if (head >= next) next = head + 1n;
    const events = parseEventLogs({ abi: jobMarketAbi, logs }).filter(
      (e) => "jobId" in e.args && e.args.jobId === jobId,
    );
    for (const event of events) {
      onEvent?.(event);
      if (event.eventName === "JobCreated") named = event.args.request.provider;
      if (event.eventName === "JobKeyDelivered") delivered.add(event.args.provider.toLowerCase());
    }
    for (const event of events) {
      if (event.eventName === "JobClaimed" && deliver) {
        const claimant = event.args.provider;
        const namesIt = named !== undefined && named !== zeroAddress && isAddressEqual(named, claimant);
        if (!namesIt && !delivered.has(claimant.toLowerCase())) owed = claimant;
      }
      // A released job is open again: the key is owed to its next claimant, not to this one.
      if (event.eventName === "JobReleased") owed = undefined;
    }
    if (events.length > 0 || status === undefined) {
      const now = JobStatusNames[(await getJob(client, { deployments, jobId })).status]!;
      if (now !== status) {
        status = now;
        onStatus?.(now);
      }
    }
    // Owed until delivered: a delivery that failed (an RPC blip, a nonce taken by another of the user's transactions)
    // is tried again at the next poll, not forgotten with the claim event it came from; otherwise the provider waits
    // for a key that never comes and the job is handed back unserved when the key window closes.
    if (owed !== undefined && status === "Claimed" && !delivered.has(owed.toLowerCase())) {
      await deliverJobKey(client, { deployments, jobId, jobSecret, account: parameters.account });
      delivered.add(owed.toLowerCase());
      owed = undefined;
    }
    if (status && TERMINAL.has(status)) stop();
  };

  const loop = async () => {
    if (stopped) return;
    try {
      await poll();
    } catch (error) {
      fail(error);
    }
    if (!stopped) timer = setTimeout(loop, interval);
  };
  void loop();
  if (parameters.streamUrl)
    void readStream(parameters, abort.signal).catch((error) => !abort.signal.aborted && fail(error));

  function stop() {
    stopped = true;
    clearTimeout(timer);
    abort.abort();
  }
  return stop;
}

/** Reads the provider's Server-Sent Events stream of the job and opens each piece with the stream key. */
async function readStream(
  { jobId, jobSecret, streamUrl, onPiece, onStreamEnd }: WatchJobParameters,
  signal: AbortSignal,
) {
  const streamKey = deriveStreamKey(deriveJobKeys({ jobSecret }).promptKey);
  const response = await fetch(`${streamUrl}/jobs/${jobId}/stream`, {
    signal,
    headers: { accept: "text/event-stream" },
  });
  if (!response.ok || !response.body) throw new StreamError(`the provider's stream answered ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      if (event === "end") {
        onStreamEnd?.();
        await reader.cancel();
        return;
      }
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event !== "piece" || !data) continue;
      const { i, c } = JSON.parse(data) as { i: number; c: Hex };
      onPiece?.({ index: i, text: openStreamPiece({ streamKey, jobId, index: i, sealed: hexToBytes(c) }) });
    }
  }
}
